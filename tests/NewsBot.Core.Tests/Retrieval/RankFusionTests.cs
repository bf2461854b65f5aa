using Microsoft.Extensions.Options;
using NewsBot.Core.Embedding;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;

namespace NewsBot.Core.Tests.Retrieval;

/// <summary>The one fusion of the index's candidate lists, on hand-made ranked lists.</summary>
public sealed class RankFusionTests
{
    private static Passage P(string id) => new()
    {
        Id = id + "#0",
        ArticleId = id,
        Ordinal = 0,
        Start = 0,
        End = 1,
        Text = "Text of " + id + " " + Guid.NewGuid().ToString("N"),
        Title = id,
    };

    private static CandidateLists Lists(string[] dense, string[] lexical) => new(
        dense.Select((id, i) => new RankedPassage(P(id), 0.9 - (i * 0.1))).ToList(),
        lexical.Select((id, i) => new RankedPassage(P(id), 12.0 - i)).ToList());

    [Fact]
    public void A_passage_in_both_lists_outranks_one_that_tops_a_single_list()
    {
        var fused = RankFusion.Fuse(Lists(["a", "both"], ["b", "both"]), denseWeight: 1, lexicalWeight: 1, k: 60);

        Assert.Equal("both", fused[0].Passage.ArticleId);
        Assert.Equal(2, fused[0].DenseRank);
        Assert.Equal(2, fused[0].LexicalRank);
        Assert.Equal((1.0 / 62) + (1.0 / 62), fused[0].Score, 12);
    }

    [Fact]
    public void The_weights_decide_between_the_top_of_each_list()
    {
        var lexicalFirst = RankFusion.Fuse(Lists(["dense"], ["lexical"]), denseWeight: 0.25, lexicalWeight: 1, k: 60);
        var denseFirst = RankFusion.Fuse(Lists(["dense"], ["lexical"]), denseWeight: 1, lexicalWeight: 0.25, k: 60);

        Assert.Equal("lexical", lexicalFirst[0].Passage.ArticleId);
        Assert.Equal("dense", denseFirst[0].Passage.ArticleId);
        Assert.Equal(0.25 / 61, lexicalFirst[1].Score, 12);
    }

    [Fact]
    public void Equal_scores_are_ordered_by_passage_id_whatever_list_they_came_from()
    {
        var one = RankFusion.Fuse(Lists(["zulu"], ["alpha"]), 1, 1, 60);
        var other = RankFusion.Fuse(Lists(["alpha"], ["zulu"]), 1, 1, 60);

        Assert.Equal(["alpha", "zulu"], one.Select(c => c.Passage.ArticleId));
        Assert.Equal(["alpha", "zulu"], other.Select(c => c.Passage.ArticleId));
    }

    [Fact]
    public void Similarity_is_the_dense_score_and_zero_for_a_lexical_only_passage()
    {
        var fused = RankFusion.Fuse(Lists(["a"], ["b"]), 1, 1, 60);

        Assert.Equal(0.9f, fused.Single(c => c.Passage.ArticleId == "a").Similarity, 5);
        Assert.Equal(0f, fused.Single(c => c.Passage.ArticleId == "b").Similarity);
    }

    [Fact]
    public void A_smaller_k_lets_the_top_ranks_count_for_more()
    {
        var lists = Lists(["a", "b", "c"], ["c", "b", "a"]);

        var sharp = RankFusion.Fuse(lists, 1, 1, k: 1);

        Assert.Equal((1.0 / 2) + (1.0 / 4), sharp.Single(c => c.Passage.ArticleId == "a").Score, 12);
        Assert.Equal((1.0 / 3) + (1.0 / 3), sharp.Single(c => c.Passage.ArticleId == "b").Score, 12);
    }

    [Fact]
    public async Task The_retriever_asks_for_the_configured_depth_and_fuses_what_the_index_returns()
    {
        var index = new RecordingIndex(Lists(["dense-top", "shared"], ["lexical-top", "shared"]));
        var options = new RetrievalOptions { Candidates = 123, DenseWeight = 1, LexicalWeight = 1, RecencyWeight = 0, MaxPassagesPerArticle = 1, TopK = 3 };
        var retriever = new Retriever(index, new HashingEmbedder(64), Options.Create(options));

        var passages = await retriever.RetrieveAsync(new RetrievalRequest("anything"), CancellationToken.None);

        Assert.Equal(123, Assert.Single(index.Queries).Depth);
        Assert.Equal("shared", passages[0].Passage.ArticleId);
        Assert.Equal(3, passages.Count);
    }
}
