using NewsBot.Core.Indexing;
using NewsBot.Core.Text;

namespace NewsBot.Index.Tests;

/// <summary>
/// A deterministic stand-in for a real embedder: each search token adds ±1 to one of 64 dimensions chosen by a stable
/// hash of the word, and the sum is normalised. Texts that share words are close; texts that share none are nearly
/// orthogonal. Enough to tell whether an index ranks by cosine, and independent of the project's real embedder.
/// </summary>
internal static class WordHashEmbedder
{
    public static readonly EmbedderDescriptor Descriptor = new("test-word-hash", 64);

    public static float[] Embed(string text) => Embed(text, Descriptor.Dimensions);

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var token in SearchTokenizer.Tokenize(text))
        {
            var hash = Fnv1a(token);
            vector[(int)(hash % (uint)dimensions)] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        if (norm == 0)
        {
            vector[0] = 1;
            return vector;
        }
        for (var i = 0; i < vector.Length; i++)
            vector[i] /= norm;
        return vector;
    }

    public static float Cosine(float[] a, float[] b)
    {
        var dot = 0f;
        for (var i = 0; i < a.Length; i++)
            dot += a[i] * b[i];
        return dot;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash;
    }
}
