using NewsBot.Core.Answering;

namespace NewsBot.Core.Retrieval;

/// <summary>
/// A passage as <c>search</c> shows it: a snippet centred on its best-matching sentence with the query's words marked,
/// and scores a reader can read.
/// </summary>
/// <param name="Snippet">The best-matching sentence, with neighbours while they fit.</param>
/// <param name="Highlights">Where the query's words are in <see cref="Snippet"/>: start and length, in order.</param>
/// <param name="MatchedTerms">The query's search terms the passage (title included) holds.</param>
/// <param name="Coverage">The share of the query's distinct search terms the passage holds, 0 to 1.</param>
public sealed record SearchHit(
    RetrievedPassage Passage,
    string Snippet,
    IReadOnlyList<(int Start, int Length)> Highlights,
    IReadOnlyList<string> MatchedTerms,
    double Coverage);
