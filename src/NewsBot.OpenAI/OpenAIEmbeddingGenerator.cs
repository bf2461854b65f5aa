using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Answering.Generative;
using Sdk = OpenAI.Embeddings;

namespace NewsBot.OpenAI;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over the OpenAI SDK's embeddings, for any OpenAI-compatible
/// endpoint. Sends <c>dimensions</c> when <see cref="ModelOptions.EmbeddingDimensions"/> is set and refuses vectors
/// of any other size, so an index is never filled with vectors it cannot compare.
/// </summary>
public sealed class OpenAIEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Inputs per request: OpenAI takes up to 2048, local servers often fewer.</summary>
    internal const int MaxBatch = 256;

    private readonly ModelOptions _options;
    private readonly string _model;
    private readonly Sdk.EmbeddingClient _client;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly TimeProvider _timeProvider;

    public OpenAIEmbeddingGenerator(ModelOptions options, TimeProvider? timeProvider = null, ILogger<OpenAIEmbeddingGenerator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ModelOptionsValidator.ThrowIfInvalid(options, "EmbeddingModel", options.EmbeddingModel);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _model = options.EmbeddingModel!.Trim();
        _client = new Sdk.EmbeddingClient(
            _model,
            OpenAIClientSettings.Credential(options),
            OpenAIClientSettings.ClientOptions(options, _timeProvider, (ILogger?)logger ?? NullLogger.Instance));
        _metadata = new EmbeddingGeneratorMetadata("openai", options.EndpointUri, _model, options.EmbeddingDimensions);
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        var dimensions = options?.Dimensions ?? _options.EmbeddingDimensions;
        var embeddings = new List<Embedding<float>>(inputs.Count);
        long inputTokens = 0;
        foreach (var batch in inputs.Chunk(MaxBatch))
        {
            Sdk.OpenAIEmbeddingCollection collection;
            try
            {
                var result = await _client.GenerateEmbeddingsAsync(batch, new Sdk.EmbeddingGenerationOptions { Dimensions = dimensions }, cancellationToken).ConfigureAwait(false);
                collection = result.Value;
            }
            catch (Exception ex) when (ModelErrors.Translate(ex, _options, "EmbeddingModel", _model, cancellationToken) is { } translated)
            {
                throw translated;
            }
            if (collection.Count != batch.Length)
                throw Bad($"The embedding model '{_model}' returned {collection.Count} vectors for {batch.Length} texts");
            foreach (var item in collection.OrderBy(e => e.Index))
            {
                var vector = item.ToFloats();
                if (dimensions is { } expected && vector.Length != expected)
                {
                    throw Bad($"The embedding model '{_model}' returned {vector.Length}-dimensional vectors, not the {expected} of Model:EmbeddingDimensions: set Model:EmbeddingDimensions to {vector.Length} (or leave it unset) and re-ingest");
                }
                embeddings.Add(new Embedding<float>(vector) { ModelId = collection.Model ?? _model, CreatedAt = _timeProvider.GetUtcNow() });
            }
            inputTokens += collection.Usage?.InputTokenCount ?? 0;
        }
        return new GeneratedEmbeddings<Embedding<float>>(embeddings)
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = inputTokens },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata))
            return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private static ModelUnavailableException Bad(string message) => new(message, ModelFailure.BadResponse);
}
