using Microsoft.Extensions.AI;
using NewsBot.Core.Answering.Generative;

namespace NewsBot.SemanticKernel;

/// <summary>
/// Microsoft.Extensions.AI.OpenAI's embedding generator with its failures turned into one-line
/// <see cref="ModelUnavailableException"/>s that name the setting to fix.
/// </summary>
internal sealed class ModelEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ModelOptions options)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default)
    {
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await base.GenerateAsync(values, generationOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ModelErrors.Translate(ex, options, "EmbeddingModel", options.EmbeddingModel ?? "", cancellationToken) is { } translated)
        {
            throw translated;
        }
        if (options.EmbeddingDimensions is { } size && embeddings.FirstOrDefault(e => e.Vector.Length != size) is { } other)
        {
            throw new ModelUnavailableException(
                $"The embedding model '{options.EmbeddingModel}' returned {other.Vector.Length}-dimensional vectors, not {size}: set Model:EmbeddingDimensions to {other.Vector.Length}, or unset it",
                ModelFailure.BadResponse);
        }
        return embeddings;
    }
}
