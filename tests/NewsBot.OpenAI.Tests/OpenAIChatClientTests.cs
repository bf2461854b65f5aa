using System.Text;
using Microsoft.Extensions.AI;
using NewsBot.Core.Answering.Generative;
using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenAI;

namespace NewsBot.OpenAI.Tests;

public sealed class OpenAIChatClientTests
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hello?")];

    [Fact]
    public async Task Sends_the_model_messages_and_settings_and_reads_the_reply()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("Hi there."));
        using var client = Fixtures.ChatClient(server, configure: o => o.ApiKey = "sk-test");

        var response = await client.GetResponseAsync(Hello, new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 50 });

        Assert.Equal("Hi there.", response.Text);
        var request = Assert.Single(server.ChatRequests);
        Assert.Equal(Fixtures.ChatModel, request.Model);
        Assert.Equal([new FakeChatMessage("system", "Be brief."), new FakeChatMessage("user", "Hello?")], request.Messages);
        Assert.Equal(0.2, request.Temperature!.Value, 3);
        Assert.Equal(50, request.MaxTokens);
        Assert.Null(request.MaxCompletionTokens);
        Assert.Equal("Bearer sk-test", request.Authorization);
    }

    [Fact]
    public async Task Sends_max_completion_tokens_when_configured_for_reasoning_models()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = Fixtures.ChatClient(server, configure: o => o.MaxTokensParameter = "max_completion_tokens");

        await client.GetResponseAsync(Hello, new ChatOptions { MaxOutputTokens = 50 });

        var request = Assert.Single(server.ChatRequests);
        Assert.Equal(50, request.MaxCompletionTokens);
        Assert.Null(request.MaxTokens);
    }

    [Fact]
    public async Task A_local_server_without_a_key_gets_a_placeholder_key()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = Fixtures.ChatClient(server);

        await client.GetResponseAsync(Hello);

        Assert.StartsWith("Bearer ", Assert.Single(server.ChatRequests).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_the_reply_in_pieces_that_add_up_to_it()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("The metro opened on Monday.") with { ChunkSize = 4 });
        using var client = Fixtures.ChatClient(server);

        var pieces = new List<string>();
        await foreach (var update in client.GetStreamingResponseAsync(Hello))
            pieces.Add(update.Text);

        Assert.True(pieces.Count(p => p.Length > 0) > 3);
        Assert.Equal("The metro opened on Monday.", string.Concat(pieces));
        Assert.True(Assert.Single(server.ChatRequests).Stream);
    }

    [Fact]
    public async Task Retries_after_429_waiting_as_long_as_Retry_After_says()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.RateLimited(TimeSpan.FromSeconds(2)), FakeReply.Chat("Done."));
        var time = new ImmediateTimeProvider();
        using var client = Fixtures.ChatClient(server, time);

        var response = await client.GetResponseAsync(Hello);

        Assert.Equal("Done.", response.Text);
        Assert.Equal(2, server.ChatRequests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task Retries_a_streamed_request_after_503()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Error(503, "overloaded"), FakeReply.Chat("Streamed."));
        using var client = Fixtures.ChatClient(server);

        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync(Hello))
            text.Append(update.Text);

        Assert.Equal("Streamed.", text.ToString());
        Assert.Equal(2, server.ChatRequests.Count);
    }

    [Fact]
    public async Task Gives_up_after_the_configured_retries_with_backoff()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ChatResponder = _ => FakeReply.ServerError();
        var time = new ImmediateTimeProvider();
        using var client = Fixtures.ChatClient(server, time, o => o.MaxRetries = 3);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));

        Assert.Equal(4, server.ChatRequests.Count);
        Assert.Equal(ModelFailure.Unavailable, error.Failure);
        Assert.Equal(500, error.StatusCode);
        Assert.StartsWith("The model endpoint failed with HTTP 500 after 3 retries", error.Message, StringComparison.Ordinal);
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays);
    }

    [Fact]
    public async Task A_rejected_key_says_which_setting_to_fix()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.RequiredApiKey = "right-key";
        using var client = Fixtures.ChatClient(server, configure: o => o.ApiKey = "wrong-key");

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));

        Assert.Equal("The model endpoint rejected the API key: check Model:ApiKey", error.Message);
        Assert.True(error.IsConfigurationError);
        Assert.Single(server.ChatRequests);
    }

    [Fact]
    public async Task An_unknown_model_says_which_setting_to_fix()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.KnownModels = new HashSet<string> { "llama3.1" };
        using var client = Fixtures.ChatClient(server, configure: o => o.ChatModel = "llama9");

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetStreamingResponseAsync(Hello).ToListAsync().AsTask());

        Assert.Equal("The model endpoint has no model 'llama9': check Model:ChatModel", error.Message);
        Assert.Equal(ModelFailure.UnknownModel, error.Failure);
    }

    [Fact]
    public async Task An_endpoint_without_the_api_path_says_to_check_the_endpoint()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = Fixtures.ChatClient(server, configure: o => o.Endpoint = server.Endpoint.ToString().Replace("/v1/", "/", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));

        Assert.Contains("check Model:Endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("/v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_running_says_where_it_was_looked_for()
    {
        Uri endpoint;
        await using (var server = await FakeOpenAIServer.StartAsync())
            endpoint = server.Endpoint;
        using var client = new OpenAIChatClient(new ModelOptions { Endpoint = endpoint.ToString(), ChatModel = "m", MaxRetries = 1 }, new ImmediateTimeProvider());

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));

        Assert.StartsWith($"Could not reach the model endpoint at {endpoint.ToString().TrimEnd('/')}: check Model:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_says_which_setting_to_raise()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Hanging());
        using var client = Fixtures.ChatClient(server, configure: o => o.TimeoutSeconds = 1);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => client.GetResponseAsync(Hello));

        Assert.Equal(ModelFailure.Timeout, error.Failure);
        Assert.Contains("Model:TimeoutSeconds", error.Message, StringComparison.Ordinal);
        Assert.Single(server.ChatRequests);
    }

    [Fact]
    public void Settings_are_checked_with_messages_naming_the_key()
    {
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            new OpenAIChatClient(new ModelOptions { Endpoint = "localhost:11434", ChatModel = "m", TimeoutSeconds = 0 }));

        Assert.Contains(error.Failures, f => f.StartsWith("Model:Endpoint must be an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Model:TimeoutSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_the_endpoint_and_model_it_uses()
    {
        using var client = new OpenAIChatClient(new ModelOptions { Endpoint = "http://localhost:11434/v1", ChatModel = "llama3.1" });

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal("llama3.1", metadata?.DefaultModelId);
        Assert.Equal(new Uri("http://localhost:11434/v1/"), metadata?.ProviderUri);
    }
}
