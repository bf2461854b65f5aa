namespace NewsBot.Core.Indexing;

/// <summary>Reciprocal rank fusion: score = Σ 1 / (k + rank) over the lists an item appears in.</summary>
public static class ReciprocalRankFusion
{
    /// <summary>The constant from Cormack et al. (2009); it damps the weight of the very top ranks.</summary>
    public const int DefaultK = 60;

    public static double Score(int? denseRank, int? lexicalRank, int k = DefaultK) =>
        (denseRank is { } d ? 1.0 / (k + d) : 0) + (lexicalRank is { } l ? 1.0 / (k + l) : 0);
}
