using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;

namespace NewsBot.SemanticKernel.Tests;

public sealed class ServiceCollectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton(Fixtures.Prompts).AddNewsBotSemanticKernel(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Registers_a_kernel_with_the_chat_service_the_prompt_functions_and_the_embedding_generator_that_are_configured()
    {
        using var services = Build(new()
        {
            ["Model:Endpoint"] = "http://localhost:11434/v1",
            ["Model:ChatModel"] = "llama3.1",
            ["Model:EmbeddingModel"] = "nomic-embed-text",
            ["Model:EmbeddingDimensions"] = "768",
        });

        var kernel = services.GetRequiredService<Kernel>();
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var prompts = services.GetRequiredService<NewsBot.Core.Answering.Generative.IPromptFunctions>();
        var embeddings = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.Equal("llama3.1", chat.GetModelId());
        Assert.True(prompts.Contains("answer"));
        Assert.True(kernel.Plugins.TryGetFunction(KernelPromptFunctions.PluginName, "answer", out _));
        Assert.Contains(kernel.PromptRenderFilters, f => f is NewsBot.SemanticKernel.Prompts.ChatPromptGuard);
        Assert.Equal(768, embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelDimensions);
    }

    [Fact]
    public void Registers_nothing_when_no_model_is_configured()
    {
        using var services = Build(new());

        Assert.Null(services.GetService<Kernel>());
        Assert.Null(services.GetService<NewsBot.Core.Answering.Generative.IPromptFunctions>());
        Assert.Null(services.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void Invalid_settings_are_reported_with_the_key_to_set()
    {
        using var services = Build(new()
        {
            ["Model:ChatModel"] = "gpt-4o-mini",
            ["Model:MaxRetries"] = "50",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ModelOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith("Model:ApiKey is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Model:MaxRetries", StringComparison.Ordinal));
    }
}
