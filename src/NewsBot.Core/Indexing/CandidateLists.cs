namespace NewsBot.Core.Indexing;

/// <summary>
/// What an index answers a search with: the dense list (by cosine similarity to the question vector) and the lexical
/// list (by BM25 over the question's terms), each best first and each as deep as <see cref="PassageQuery.Depth"/>.
/// The index does not fuse them: Core's retriever does, once, whichever index is in use.
/// </summary>
public sealed record CandidateLists(IReadOnlyList<RankedPassage> Dense, IReadOnlyList<RankedPassage> Lexical)
{
    public static readonly CandidateLists Empty = new([], []);

    public bool IsEmpty => Dense.Count == 0 && Lexical.Count == 0;
}
