using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;

namespace NewsBot.Qdrant.Tests;

/// <summary>Ranks recovered from one fused Query API answer (Qdrant's RRF, k = 2), in the cases exact arithmetic does not cover.</summary>
public sealed class RankRecoveryTests
{
    [Fact]
    public void A_lexical_candidate_more_similar_than_the_dense_list_is_read_as_lexical_only()
    {
        // Approximate search found A and B (dense ranks 1, 2) but missed C, which is more similar than B.
        // Lexical list: C, A. Fused with k = 2: A = 1/2 + 1/3, C = 1/2, B = 1/3.
        List<QdrantPassageIndex.Hit> hits = [Hit("A", (1.0 / 2) + (1.0 / 3), 0.9f), Hit("C", 1.0 / 2, 0.7f), Hit("B", 1.0 / 3, 0.5f)];

        var ranked = QdrantPassageIndex.Rank(hits, dense: true, lexical: true, perList: 100, limit: 10);

        Assert.Equal(
            ["A 1 2", "C - 1", "B 2 -"],
            ranked.Select(c => $"{c.Passage.Id} {c.DenseRank?.ToString() ?? "-"} {c.LexicalRank?.ToString() ?? "-"}"));
        Assert.All(ranked, c => Assert.Equal(ReciprocalRankFusion.Score(c.DenseRank, c.LexicalRank), c.Score, 12));
    }

    [Fact]
    public void Equally_similar_duplicates_share_out_their_ranks()
    {
        // X and Y are copies: Qdrant put Y first in the dense list and X first in the lexical one.
        List<QdrantPassageIndex.Hit> hits = [Hit("X", (1.0 / 3) + (1.0 / 2), 0.8f), Hit("Y", (1.0 / 2) + (1.0 / 3), 0.8f), Hit("Z", 1.0 / 4, 0.1f)];

        var ranked = QdrantPassageIndex.Rank(hits, dense: true, lexical: true, perList: 100, limit: 10);

        Assert.Equal([1, 2, 3], ranked.Select(c => c.DenseRank!.Value).Order());
        Assert.Equal([1, 2], ranked.Where(c => c.LexicalRank is not null).Select(c => c.LexicalRank!.Value).Order());
        Assert.Equal("Z", ranked[2].Passage.Id);
    }

    [Fact]
    public void Scores_that_do_not_decode_keep_qdrants_fusion()
    {
        // As if the server fused with k = 60: no reading with k = 2 fits.
        List<QdrantPassageIndex.Hit> hits = [Hit("A", (1.0 / 60) + (1.0 / 61), 0.9f), Hit("B", 1.0 / 61, 0.5f)];

        var ranked = QdrantPassageIndex.Rank(hits, dense: true, lexical: true, perList: 100, limit: 10);

        Assert.Equal(["A", "B"], ranked.Select(c => c.Passage.Id));
        Assert.Equal((1.0 / 60) + (1.0 / 61), ranked[0].Score, 12);
        Assert.All(ranked, c => Assert.Null(c.LexicalRank));
        Assert.Equal([1, 2], ranked.Select(c => c.DenseRank!.Value));
    }

    private static QdrantPassageIndex.Hit Hit(string id, double fused, float similarity) =>
        new(new Passage { Id = id, ArticleId = id, Ordinal = 0, Start = 0, End = 1, Text = id, Title = id }, fused, similarity);
}
