using NewsBot.Core.Indexing;

namespace NewsBot.Qdrant;

/// <summary>
/// The sparse "lexical" vector: one dimension per term of Core's <see cref="PassageTerms"/>, so Qdrant matches exactly
/// the terms the embedded index holds. The dimension is the term's FNV-1a 32-bit hash. A passage stores BM25's
/// saturated term frequency (Core's <see cref="Bm25.TermWeight"/>, with <see cref="Bm25.ReferenceAverageLength"/>); a
/// question stores 1 per distinct term; the collection's <c>idf</c> modifier makes Qdrant multiply in the inverse
/// document frequency at query time, which together is BM25.
/// </summary>
internal static class LexicalVector
{
    /// <summary>Names the encoding in the collection metadata; change it when the hashing or weighting changes.</summary>
    public const string Encoding = "fnv1a32-bm25(k1=1.2,b=0.75,avgdl=100)";

    public static (uint[] Indices, float[] Values) ForPassage(PassageTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        // Two terms with the same hash share a dimension; their counts add up, as one word would.
        var counts = new Dictionary<uint, int>(terms.Terms.Count);
        for (var i = 0; i < terms.Terms.Count; i++)
        {
            var id = TermId(terms.Terms[i]);
            counts[id] = counts.GetValueOrDefault(id) + terms.Counts[i];
        }
        return Build(counts, count => (float)Bm25.TermWeight(count, terms.Length, Bm25.ReferenceAverageLength));
    }

    public static (uint[] Indices, float[] Values) ForQuery(IEnumerable<string> terms)
    {
        var counts = new Dictionary<uint, int>();
        foreach (var term in terms)
        {
            if (!string.IsNullOrEmpty(term))
                counts[TermId(term)] = 1;
        }
        return Build(counts, static _ => 1f);
    }

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

    private static (uint[] Indices, float[] Values) Build(Dictionary<uint, int> counts, Func<int, float> weight)
    {
        var indices = counts.Keys.Order().ToArray();
        var values = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
            values[i] = weight(counts[indices[i]]);
        return (indices, values);
    }
}
