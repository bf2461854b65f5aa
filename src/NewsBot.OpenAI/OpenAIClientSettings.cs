using System.ClientModel;
using Microsoft.Extensions.Logging;
using OpenAI;

namespace NewsBot.OpenAI;

/// <summary>The SDK's client options for a <see cref="ModelOptions"/>: endpoint, timeout and our retry policy.</summary>
internal static class OpenAIClientSettings
{
    /// <summary>The SDK requires a key even where the server ignores it (Ollama, vLLM, LM Studio).</summary>
    private const string PlaceholderKey = "no-key";

    public static ApiKeyCredential Credential(ModelOptions options) =>
        new(string.IsNullOrWhiteSpace(options.ApiKey) ? PlaceholderKey : options.ApiKey.Trim());

    public static OpenAIClientOptions ClientOptions(ModelOptions options, TimeProvider timeProvider, ILogger logger) => new()
    {
        Endpoint = options.EndpointUri,
        NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        RetryPolicy = new ModelRetryPolicy(options.MaxRetries, timeProvider, logger),
        UserAgentApplicationId = "newsbot",
    };
}
