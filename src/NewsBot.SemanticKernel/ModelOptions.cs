namespace NewsBot.SemanticKernel;

/// <summary>
/// Settings of the <c>Model</c> section: an OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, vLLM,
/// LM Studio) for chat answers and, optionally, embeddings.
/// </summary>
public sealed class ModelOptions
{
    public const string SectionName = "Model";

    /// <summary>The OpenAI API, used when <see cref="Endpoint"/> is not set.</summary>
    public static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1/");

    /// <summary>
    /// The base URL of the API, up to and including <c>/v1</c> (Model:Endpoint): <c>http://localhost:11434/v1</c>
    /// for Ollama, <c>https://&lt;resource&gt;.openai.azure.com/openai/v1/</c> for Azure OpenAI. Unset: OpenAI.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The API key (Model:ApiKey); local servers need none. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The chat model (Model:ChatModel), e.g. <c>llama3.1</c> or <c>gpt-4o-mini</c>; on Azure, the deployment name.</summary>
    public string? ChatModel { get; set; }

    /// <summary>The embedding model (Model:EmbeddingModel), e.g. <c>nomic-embed-text</c> or <c>text-embedding-3-small</c>.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>
    /// The vector size to ask the embedding model for (Model:EmbeddingDimensions); unset, the model's own size.
    /// Returned vectors of another size are refused.
    /// </summary>
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Seconds to wait for one response before giving up (Model:TimeoutSeconds).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries after 429 and 5xx answers and dropped connections, honouring Retry-After (Model:MaxRetries).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// How the answer length limit is sent (Model:MaxTokensParameter): <c>max_tokens</c>, which every
    /// OpenAI-compatible server reads, or <c>max_completion_tokens</c>, which OpenAI's reasoning models require.
    /// </summary>
    public string MaxTokensParameter { get; set; } = "max_tokens";

    /// <summary>The first retry's wait when the server gives no Retry-After (doubling after); short in tests.</summary>
    internal TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The endpoint as a URI with a trailing slash, so relative paths such as <c>chat/completions</c> resolve under it.</summary>
    public Uri EndpointUri
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Endpoint))
                return OpenAIEndpoint;
            var text = Endpoint.Trim();
            return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
        }
    }
}
