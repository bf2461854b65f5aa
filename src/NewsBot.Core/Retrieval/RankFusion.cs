using NewsBot.Core.Indexing;

namespace NewsBot.Core.Retrieval;

/// <summary>
/// The one fusion of dense and lexical evidence: weighted reciprocal rank fusion, score = Σ wᵢ / (k + rankᵢ) over the
/// lists a passage appears in (Cormack et al. 2009, with a weight per list). Ranks, not raw scores, are fused because
/// cosine and BM25 are on scales that do not compare.
/// </summary>
public static class RankFusion
{
    public static List<PassageCandidate> Fuse(CandidateLists lists, double denseWeight, double lexicalWeight, int k)
    {
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var byId = new Dictionary<string, (RankedPassage Entry, int? Dense, int? Lexical, float Similarity)>(StringComparer.Ordinal);
        for (var i = 0; i < lists.Dense.Count; i++)
        {
            var entry = lists.Dense[i];
            byId.TryAdd(entry.Passage.Id, (entry, i + 1, null, (float)entry.Score));
        }
        for (var i = 0; i < lists.Lexical.Count; i++)
        {
            var entry = lists.Lexical[i];
            if (byId.TryGetValue(entry.Passage.Id, out var seen))
            {
                if (seen.Lexical is null)
                    byId[entry.Passage.Id] = seen with { Lexical = i + 1 };
            }
            else
            {
                byId[entry.Passage.Id] = (entry, null, i + 1, 0f);
            }
        }

        var fused = new List<PassageCandidate>(byId.Count);
        foreach (var (entry, dense, lexical, similarity) in byId.Values)
        {
            var score = (dense is { } d ? denseWeight / (k + d) : 0) + (lexical is { } l ? lexicalWeight / (k + l) : 0);
            fused.Add(new PassageCandidate(entry.Passage, score, dense, lexical, similarity));
        }
        // Ties (equal ranks in opposite lists, or weights of zero) go by passage id, so both indexes order alike.
        fused.Sort(static (a, b) =>
        {
            var byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Passage.Id, b.Passage.Id);
        });
        return fused;
    }
}
