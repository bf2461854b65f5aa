using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using NewsBot.Core.Indexing;
using NewsBot.Core.Text;

namespace NewsBot.Core.Embedding;

/// <summary>
/// An embedder that needs no model file: words, adjacent word pairs and character 4-grams of longer words are hashed
/// (FNV-1a, with a hashed sign to cancel collisions out on average) into a fixed number of dimensions, each feature
/// weighted by 1 + ln(count), and the vector L2-normalised. The same text gives the same vector on every run and
/// machine, because nothing depends on the process's string hashing or on corpus statistics.
/// </summary>
public sealed class HashingEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string Name = "local-hashing-v2";

    private const float WordWeight = 1.0f;
    private const float PairWeight = 0.6f;
    private const float GramWeight = 0.25f;

    private readonly int _dimensions;
    private readonly EmbeddingGeneratorMetadata _metadata;

    public HashingEmbedder(int dimensions = 384)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 16);
        _dimensions = dimensions;
        _metadata = new EmbeddingGeneratorMetadata("newsbot-local", defaultModelId: Name, defaultModelDimensions: dimensions);
    }

    public EmbedderDescriptor Descriptor => new(Name, _dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToList();
        var vectors = new float[texts.Count][];
        if (texts.Count >= 8)
        {
            Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => vectors[i] = Embed(texts[i]));
        }
        else
        {
            for (var i = 0; i < texts.Count; i++)
                vectors[i] = Embed(texts[i]);
        }
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        foreach (var vector in vectors)
            result.Add(new Embedding<float>(vector) { ModelId = Name });
        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    public float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new Dictionary<uint, (int Count, float Weight)>();
        var tokens = SearchTokenizer.Tokenize(text);
        for (var t = 0; t < tokens.Count; t++)
        {
            var word = tokens[t];
            var wordHash = Fnv(word, 0x811C9DC5u);
            Count(counts, wordHash, WordWeight);
            if (t > 0)
                Count(counts, Mix(Fnv(tokens[t - 1], 0x811C9DC5u), wordHash), PairWeight);
            if (word.Length >= 5)
            {
                // Boundary-marked 4-grams give near matches between forms of a word ("sanction"/"sanctioned").
                var padded = string.Concat("<", word, ">");
                for (var g = 0; g + 4 <= padded.Length; g++)
                    Count(counts, Fnv(padded.AsSpan(g, 4), 0x9E3779B9u), GramWeight);
            }
        }

        var vector = new float[_dimensions];
        foreach (var (hash, (count, weight)) in counts)
        {
            var index = (int)(hash % (uint)_dimensions);
            var sign = (hash >> 31) == 0 ? 1f : -1f;
            vector[index] += sign * weight * (1f + MathF.Log(count));
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static void Count(Dictionary<uint, (int Count, float Weight)> counts, uint hash, float weight)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, hash, out _);
        slot = (slot.Count + 1, weight);
    }

    private static uint Fnv(ReadOnlySpan<char> text, uint seed)
    {
        var h = seed;
        foreach (var c in text)
        {
            h ^= c;
            h *= 16777619u;
        }
        return h;
    }

    private static uint Mix(uint a, uint b)
    {
        var h = (a * 31u) ^ b;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        return h;
    }
}
