using NewsBot.Core.Passages;
using NewsBot.Core.Text;

namespace NewsBot.Core.Indexing;

/// <summary>
/// A passage's lexical terms as every index stores them: each distinct <see cref="SearchTokenizer"/> token of
/// <see cref="Passage.SearchText"/> with how often it occurs, and the passage's length in tokens. Computed once, in
/// Core, so the embedded index and the Qdrant sparse vectors hold exactly the same terms.
/// </summary>
public sealed record PassageTerms(IReadOnlyList<string> Terms, IReadOnlyList<int> Counts, int Length)
{
    public static PassageTerms Of(Passage passage)
    {
        ArgumentNullException.ThrowIfNull(passage);
        return Of(SearchTokenizer.Tokenize(passage.SearchText));
    }

    public static PassageTerms Of(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var terms = new List<string>();
        var counts = new List<int>();
        foreach (var token in tokens)
        {
            if (string.IsNullOrEmpty(token))
                continue;
            if (order.TryGetValue(token, out var at))
            {
                counts[at]++;
                continue;
            }
            order[token] = terms.Count;
            terms.Add(token);
            counts.Add(1);
        }
        return new PassageTerms(terms, counts, tokens.Count);
    }
}
