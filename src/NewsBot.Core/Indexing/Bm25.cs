namespace NewsBot.Core.Indexing;

/// <summary>
/// Robertson's BM25, the lexical score of both indexes: the constants live here so that no adapter keeps its own copy.
/// </summary>
public static class Bm25
{
    /// <summary>Term-frequency saturation.</summary>
    public const double K1 = 1.2;

    /// <summary>Length normalisation.</summary>
    public const double B = 0.75;

    /// <summary>
    /// The average passage length (tokens) assumed by an index that cannot measure its own collection's average
    /// cheaply (Qdrant stores each sparse vector once and never revisits it): the default chunking gives 99.7 tokens per
    /// passage over the first 3,000 articles of the shared news corpus.
    /// </summary>
    public const double ReferenceAverageLength = 100;

    /// <summary>The saturated, length-normalised term frequency: BM25 without the idf factor.</summary>
    public static double TermWeight(int count, int length, double averageLength) =>
        count * (K1 + 1) / (count + (K1 * (1 - B + (B * length / Math.Max(averageLength, 1)))));

    /// <summary>Inverse document frequency of a term that <paramref name="frequency"/> of <paramref name="documents"/> passages hold (Lucene's form, never negative).</summary>
    public static double Idf(long documents, long frequency) =>
        Math.Log(1 + ((documents - frequency + 0.5) / (frequency + 0.5)));
}
