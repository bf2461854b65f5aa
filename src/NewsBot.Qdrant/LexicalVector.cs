using NewsBot.Core.Text;

namespace NewsBot.Qdrant;

/// <summary>
/// The sparse "lexical" vector: one dimension per <see cref="SearchTokenizer"/> token, so Qdrant matches the same words
/// as the embedded full-text index. The dimension is the token's FNV-1a 32-bit hash. A passage stores BM25's saturated
/// term frequency; a question stores 1 per distinct term; the collection's <c>idf</c> modifier makes Qdrant multiply in
/// the inverse document frequency at query time, which together is BM25.
/// </summary>
internal static class LexicalVector
{
    /// <summary>Names the encoding in the collection metadata; change it when the hashing or weighting changes.</summary>
    public const string Encoding = "fnv1a32-bm25(k1=1.2,b=0.75,avgdl=100)";

    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>
    /// A fixed average passage length in tokens: the default chunking gives 99.7 tokens per passage over the first 3,000
    /// articles of the shared news corpus. Fixed rather than measured per collection (as the embedded index does), so
    /// that a stored vector never depends on what else is in the collection; lexical scores differ from the embedded
    /// index's only as far as a collection's true average differs from this.
    /// </summary>
    private const double AverageLength = 100;

    public static (uint[] Indices, float[] Values) ForPassage(string text)
    {
        var tokens = SearchTokenizer.Tokenize(text);
        var counts = Count(tokens);
        var norm = K1 * (1 - B + (B * tokens.Count / AverageLength));
        return Build(counts, tf => (float)(tf * (K1 + 1) / (tf + norm)));
    }

    public static (uint[] Indices, float[] Values) ForQuery(IEnumerable<string> terms) =>
        Build(Count(terms), static _ => 1f);

    public static uint TermId(string token)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = System.Text.Encoding.UTF8.GetByteCount(token) <= buffer.Length
            ? buffer[..System.Text.Encoding.UTF8.GetBytes(token, buffer)]
            : System.Text.Encoding.UTF8.GetBytes(token);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash;
    }

    private static Dictionary<uint, int> Count(IEnumerable<string> tokens)
    {
        // Two tokens with the same hash share a dimension; their counts add up, as one word would.
        var counts = new Dictionary<uint, int>();
        foreach (var token in tokens)
        {
            if (token.Length == 0)
                continue;
            var id = TermId(token);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        return counts;
    }

    private static (uint[] Indices, float[] Values) Build(Dictionary<uint, int> counts, Func<int, float> weight)
    {
        var indices = counts.Keys.Order().ToArray();
        var values = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
            values[i] = weight(counts[indices[i]]);
        return (indices, values);
    }
}
