using Microsoft.Extensions.Options;
using NewsBot.Core.Embedding;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;

namespace NewsBot.Core.Tests.Retrieval;

public sealed class RetrieverTests
{
    private static readonly DateTimeOffset AsOf = new(2022, 1, 7, 23, 59, 59, TimeSpan.Zero);

    private static PassageCandidate Candidate(string article, int ordinal, double score, DateTimeOffset? published = null, string? text = null) =>
        new(new Passage
        {
            Id = Passage.MakeId(article, ordinal),
            ArticleId = article,
            Ordinal = ordinal,
            Start = 0,
            End = 1,
            Text = text ?? string.Join(' ', Enumerable.Range(0, 12).Select(_ => Guid.NewGuid().ToString("N")[..8])),
            Title = article,
            Published = published,
        }, score, 1, 1, 0.5f);

    private static Retriever Create(RecordingIndex index, RetrievalOptions? options = null) =>
        new(index, new HashingEmbedder(64), Options.Create(options ?? new RetrievalOptions()));

    [Fact]
    public void No_article_has_more_passages_than_the_cap()
    {
        var retriever = Create(new RecordingIndex(CandidateLists.Empty), new RetrievalOptions { MaxPassagesPerArticle = 2 });
        var candidates = Enumerable.Range(0, 6).Select(i => Candidate("a", i, 1.0 - (i * 0.01)))
            .Concat(Enumerable.Range(0, 4).Select(i => Candidate("other" + i, 0, 0.5 - (i * 0.01)))).ToList();
        var picked = retriever.Rerank(candidates, AsOf, 5);
        Assert.Equal(2, picked.Count(p => p.Passage.ArticleId == "a"));
        Assert.Equal(3, picked.Count(p => p.Passage.ArticleId.StartsWith("other", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_cap_gives_way_when_too_few_articles_remain_to_fill_k()
    {
        var retriever = Create(new RecordingIndex(CandidateLists.Empty), new RetrievalOptions { MaxPassagesPerArticle = 2 });
        var candidates = Enumerable.Range(0, 6).Select(i => Candidate("a", i, 1.0 - (i * 0.01))).Append(Candidate("b", 0, 0.5)).ToList();
        var picked = retriever.Rerank(candidates, AsOf, 5);
        Assert.Equal(5, picked.Count);
        Assert.Contains(picked, p => p.Passage.ArticleId == "b");
    }

    [Fact]
    public void The_same_story_from_two_outlets_is_kept_once()
    {
        const string story = "The prime minister resigned on Sunday amid protests that followed the military takeover of the government last October, officials said.";
        var retriever = Create(new RecordingIndex(CandidateLists.Empty));
        var picked = retriever.Rerank([Candidate("wire-1", 0, 1.0, text: story), Candidate("wire-2", 0, 0.9, text: "Reuters — " + story), Candidate("c", 0, 0.5)], AsOf, 5);
        Assert.Single(picked, p => p.Passage.ArticleId.StartsWith("wire", StringComparison.Ordinal));
        Assert.Equal("wire-1", picked[0].Passage.ArticleId);
    }

    [Fact]
    public void A_recent_article_outranks_an_old_one_with_a_slightly_better_match()
    {
        var retriever = Create(new RecordingIndex(CandidateLists.Empty));
        var old = Candidate("old", 0, 1.00, AsOf.AddDays(-400));
        var recent = Candidate("recent", 0, 0.95, AsOf.AddDays(-2));
        var picked = retriever.Rerank([old, recent], AsOf, 2);
        Assert.Equal("recent", picked[0].Passage.ArticleId);
        Assert.Equal([1, 2], picked.Select(p => p.Number));
    }

    [Fact]
    public async Task The_as_of_date_bounds_the_search_and_keeps_undated_articles()
    {
        var index = new RecordingIndex(CandidateLists.Empty);
        await Create(index).RetrieveAsync(new RetrievalRequest("who resigned") { AsOf = AsOf }, CancellationToken.None);
        var filter = Assert.Single(index.Queries).Filter;
        Assert.Equal(AsOf, filter.To);
        Assert.True(filter.IncludeUndated);
        Assert.False(filter.Matches(null, AsOf.AddDays(1)));
        Assert.True(filter.Matches(null, null));
    }

    [Fact]
    public async Task An_explicit_date_range_and_source_filter_pass_through()
    {
        var index = new RecordingIndex(CandidateLists.Empty);
        var from = AsOf.AddDays(-30);
        await Create(index).RetrieveAsync(new RetrievalRequest("q") { AsOf = AsOf, From = from, To = AsOf.AddDays(-1), Sources = ["CNN"] }, CancellationToken.None);
        var filter = Assert.Single(index.Queries).Filter;
        Assert.Equal(from, filter.From);
        Assert.Equal(AsOf.AddDays(-1), filter.To);
        Assert.False(filter.IncludeUndated);
        Assert.True(filter.Matches("cnn", AsOf.AddDays(-5)));
        Assert.False(filter.Matches("USA TODAY", AsOf.AddDays(-5)));
    }
}
