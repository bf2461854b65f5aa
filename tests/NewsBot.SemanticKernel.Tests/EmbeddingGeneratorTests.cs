using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Answering.Generative;
using NewsBot.TestSupport.OpenAI;

namespace NewsBot.SemanticKernel.Tests;

public sealed class EmbeddingGeneratorTests
{
    private static IEmbeddingGenerator<string, Embedding<float>> Generator(FakeOpenAIServer server, Action<ModelOptions>? configure = null) =>
        Fixtures.Services(server, configure).GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

    [Fact]
    public async Task Returns_one_vector_of_the_configured_size_per_text()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var generator = Generator(server, o => o.EmbeddingDimensions = 24);

        var embeddings = await generator.GenerateAsync(["first text", "second text", "third text"]);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(24, e.Vector.Length));
        Assert.Equal(FakeOpenAIServer.Vector("second text", 24), embeddings[1].Vector.ToArray());
        var request = Assert.Single(server.EmbeddingRequests);
        Assert.Equal(Fixtures.EmbeddingModel, request.Model);
        Assert.Equal(24, request.Dimensions);
        Assert.Equal(["first text", "second text", "third text"], request.Input);
    }

    [Fact]
    public async Task Reads_float_arrays_from_servers_that_ignore_the_encoding_asked_for()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.IgnoreEncodingFormat = true;
        var generator = Generator(server, o => o.EmbeddingDimensions = 8);

        var embeddings = await generator.GenerateAsync(["text"]);

        Assert.Equal(FakeOpenAIServer.Vector("text", 8), embeddings[0].Vector.ToArray());
    }

    [Fact]
    public async Task Without_a_configured_size_sends_none_and_takes_the_models()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.DefaultEmbeddingDimensions = 12;
        var generator = Generator(server);

        var embeddings = await generator.GenerateAsync(["text"]);

        Assert.Equal(12, embeddings[0].Vector.Length);
        Assert.Null(Assert.Single(server.EmbeddingRequests).Dimensions);
    }

    [Fact]
    public async Task Refuses_vectors_of_another_size_than_configured()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.FixedEmbeddingDimensions = 768;
        var generator = Generator(server, o => o.EmbeddingDimensions = 256);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => generator.GenerateAsync(["text"]));

        Assert.Contains("768-dimensional", error.Message, StringComparison.Ordinal);
        Assert.Contains("Model:EmbeddingDimensions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_embedding_model_says_which_setting_to_fix()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.KnownModels = new HashSet<string> { Fixtures.ChatModel };
        var generator = Generator(server);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => generator.GenerateAsync(["text"]));

        Assert.Equal($"The model endpoint has no model '{Fixtures.EmbeddingModel}': check Model:EmbeddingModel", error.Message);
    }

    [Fact]
    public async Task Retries_embeddings_after_429()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.EnqueueEmbeddings(FakeReply.RateLimited(TimeSpan.FromSeconds(1)));
        var generator = Generator(server);

        var embeddings = await generator.GenerateAsync(["text"]);

        Assert.Single(embeddings);
        Assert.Equal(2, server.EmbeddingRequests.Count);
    }
}
