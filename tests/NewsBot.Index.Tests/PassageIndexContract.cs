using NewsBot.Core.Indexing;

namespace NewsBot.Index.Tests;

/// <summary>
/// What every <see cref="IPassageIndex"/> promises, written against the interface only. An implementation's test
/// class derives from this one and says how to create a fresh, empty index and how to open the same storage again.
/// </summary>
public abstract class PassageIndexContract : IAsyncLifetime
{
    private const string Volcano = """
        The volcano on the Reykjanes peninsula in Iceland erupted again on Sunday, sending lava toward the town of Grindavik.

        Civil protection officials evacuated residents and closed the Blue Lagoon spa while the eruption continued.
        """;

    private const string Budget = """
        Congress passed a stopgap budget bill late on Friday, averting a government shutdown for another six weeks.

        The spending measure keeps agencies funded at current levels while negotiators work on appropriations.
        """;

    private const string Football = """
        The home side won the championship final after a penalty shootout in front of a sellout stadium crowd.
        """;

    private readonly List<IPassageIndex> _opened = [];

    protected static EmbedderDescriptor Embedder => WordHashEmbedder.Descriptor;

    protected static CancellationToken None => CancellationToken.None;

    /// <summary>A new, empty index in storage of its own, already initialised with <paramref name="embedder"/>.</summary>
    protected abstract Task<IPassageIndex> CreateIndexAsync(EmbedderDescriptor embedder);

    /// <summary>
    /// A new instance over the same storage as <paramref name="previous"/> (which may have been disposed), not yet
    /// initialised: what a second run of the program sees.
    /// </summary>
    protected abstract Task<IPassageIndex> ReopenAsync(IPassageIndex previous);

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var index in _opened)
            await index.DisposeAsync();
    }

    /// <summary>A fresh index, disposed after the test.</summary>
    protected Task<IPassageIndex> NewIndexAsync(params IndexedArticle[] articles) => NewIndexAsync(Embedder, articles);

    /// <summary>A fresh index for <paramref name="embedder"/>, disposed after the test.</summary>
    protected async Task<IPassageIndex> NewIndexAsync(EmbedderDescriptor embedder, params IndexedArticle[] articles)
    {
        var index = await CreateIndexAsync(embedder);
        _opened.Add(index);
        foreach (var article in articles)
            await index.UpsertAsync(article, None);
        return index;
    }

    /// <summary>The same storage opened again (not initialised), disposed after the test.</summary>
    protected async Task<IPassageIndex> OpenAgainAsync(IPassageIndex previous)
    {
        var index = await ReopenAsync(previous);
        _opened.Add(index);
        return index;
    }

    [Fact]
    public async Task Upsert_then_search_finds_the_article()
    {
        var index = await NewIndexAsync(TestArticles.Make("volcano", Volcano), TestArticles.Make("budget", Budget));

        var results = await index.SearchFusedAsync(TestArticles.Query("Where did the volcano erupt in Iceland?"), None);

        Assert.NotEmpty(results);
        Assert.Equal("volcano", results[0].Passage.ArticleId);
    }

    [Fact]
    public async Task Search_returns_passages_with_their_article_fields()
    {
        var published = TestArticles.Day(2024, 3, 17);
        var article = TestArticles.Make("volcano", Volcano, source: "Iceland Review", published: published, title: "Eruption near Grindavik", url: "https://news.example/eruption");
        var index = await NewIndexAsync(article);

        var results = await index.SearchFusedAsync(TestArticles.Query("Blue Lagoon evacuated"), None);

        var passage = results[0].Passage;
        var expected = article.Passages[1];
        Assert.Equal(expected.Id, passage.Id);
        Assert.Equal("volcano", passage.ArticleId);
        Assert.Equal(1, passage.Ordinal);
        Assert.Equal(expected.Start, passage.Start);
        Assert.Equal(expected.End, passage.End);
        Assert.Equal(expected.Text, passage.Text);
        Assert.Equal("Eruption near Grindavik", passage.Title);
        Assert.Equal("Iceland Review", passage.Source);
        Assert.Equal("https://news.example/eruption", passage.Url);
        Assert.Equal(published, passage.Published);
    }

    [Fact]
    public async Task Searching_an_empty_index_returns_nothing()
    {
        var index = await NewIndexAsync();

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano"), None);

        Assert.Empty(results);
    }

    [Fact]
    public async Task Upserting_the_same_article_twice_keeps_one_copy()
    {
        var article = TestArticles.Make("volcano", Volcano);
        var index = await NewIndexAsync(article, TestArticles.Make("budget", Budget));

        await index.UpsertAsync(article, None);

        var statistics = await index.GetStatisticsAsync(None);
        Assert.Equal(2, statistics.Articles);
        Assert.Equal(4, statistics.Passages);
        var results = await index.SearchFusedAsync(TestArticles.Query("volcano eruption lava Grindavik", limit: 20), None);
        var ids = results.Where(r => r.Passage.ArticleId == "volcano").Select(r => r.Passage.Id).ToList();
        Assert.Equal(["volcano#0", "volcano#1"], ids.Order());
    }

    [Fact]
    public async Task Replacing_an_article_leaves_no_stale_passage()
    {
        var index = await NewIndexAsync(TestArticles.Make("story", "The zeppelin landed at the airfield.\n\nCrowds cheered the zeppelin crew."));

        await index.UpsertAsync(TestArticles.Make("story", "The airship landed at the airfield.\n\nCrowds cheered the crew.\n\nIt left at dawn."), None);

        var results = await index.SearchFusedAsync(TestArticles.Query("zeppelin", limit: 20), None);
        Assert.DoesNotContain(results, r => r.LexicalRank is not null);
        Assert.DoesNotContain(results, r => r.Passage.Text.Contains("zeppelin", StringComparison.Ordinal));
        Assert.Equal(3, (await index.GetStatisticsAsync(None)).Passages);
    }

    [Fact]
    public async Task Delete_removes_the_article_and_its_passages()
    {
        var index = await NewIndexAsync(TestArticles.Make("volcano", Volcano), TestArticles.Make("budget", Budget));

        await index.DeleteAsync(["volcano", "never-indexed"], None);

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano eruption Iceland", limit: 20), None);
        Assert.DoesNotContain(results, r => r.Passage.ArticleId == "volcano");
        Assert.Equal(["budget"], (await index.GetArticleStatesAsync(None)).Keys);
        var statistics = await index.GetStatisticsAsync(None);
        Assert.Equal(1, statistics.Articles);
        Assert.Equal(2, statistics.Passages);
    }

    [Fact]
    public async Task Article_states_round_trip_hash_and_origin()
    {
        var fromFile = TestArticles.Make("volcano", Volcano, origin: "/data/news/volcano.txt");
        var fromFeed = TestArticles.Make("budget", Budget, origin: null);
        var index = await NewIndexAsync(fromFile, fromFeed);

        var states = await index.GetArticleStatesAsync(None);

        Assert.Equal(2, states.Count);
        Assert.Equal(new IndexedArticleState("volcano", fromFile.ContentHash, "/data/news/volcano.txt"), states["volcano"]);
        Assert.Equal(new IndexedArticleState("budget", fromFeed.ContentHash, null), states["budget"]);
    }

    [Fact]
    public async Task Source_filter_is_case_insensitive()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("cnn", "Lava reached the town as the volcano erupted.", source: "CNN"),
            TestArticles.Make("usa", "The volcano erupted and lava flowed to the sea.", source: "USA TODAY"),
            TestArticles.Make("none", "A volcano erupted, lava everywhere.", source: null));

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano lava", new PassageFilter { Sources = ["cnn"] }), None);

        Assert.Equal(["cnn"], results.Select(r => r.Passage.ArticleId));
    }

    [Fact]
    public async Task Source_filter_naming_an_unknown_source_finds_nothing()
    {
        var index = await NewIndexAsync(TestArticles.Make("cnn", Volcano, source: "CNN"));

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano", new PassageFilter { Sources = ["Reuters"] }), None);

        Assert.Empty(results);
    }

    [Fact]
    public async Task Date_range_keeps_only_articles_published_inside_it()
    {
        var index = await NewIndexAsync(DatedVolcanoArticles());
        var filter = new PassageFilter { From = TestArticles.Day(2024, 2, 1), To = TestArticles.Day(2024, 2, 20), IncludeUndated = false };

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano lava", filter, limit: 20), None);

        Assert.Equal(["feb-01", "feb-20"], results.Select(r => r.Passage.ArticleId).Order());
    }

    [Fact]
    public async Task As_of_date_keeps_undated_articles_and_drops_later_ones()
    {
        var index = await NewIndexAsync(DatedVolcanoArticles());
        var filter = new PassageFilter { To = TestArticles.Day(2024, 2, 1), IncludeUndated = true };

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano lava", filter, limit: 20), None);

        Assert.Equal(["feb-01", "jan", "undated"], results.Select(r => r.Passage.ArticleId).Order());
    }

    [Fact]
    public async Task The_dense_list_is_ordered_by_cosine_similarity_with_its_raw_scores()
    {
        var index = await NewIndexAsync(TestArticles.Make("volcano", Volcano), TestArticles.Make("budget", Budget), TestArticles.Make("football", Football));
        var query = TestArticles.Query("government shutdown penalty shootout", limit: 20);

        var lists = await index.SearchAsync(query, None);

        Assert.Equal(5, lists.Dense.Count);
        foreach (var entry in lists.Dense)
            Assert.Equal(WordHashEmbedder.Cosine(WordHashEmbedder.Embed(entry.Passage.Text), query.Vector.ToArray()), entry.Score, 4);
        Assert.Equal(lists.Dense.Select(e => e.Score).OrderDescending(), lists.Dense.Select(e => e.Score));
    }

    [Fact]
    public async Task The_lexical_list_holds_only_passages_sharing_a_term_best_bm25_first()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("eclipse", "A total solar eclipse crossed Mexico, and astronomers watched the total solar eclipse."),
            TestArticles.Make("panels", "Solar panels are cheaper than ever in Mexico."),
            TestArticles.Make("moon", "Astronomers watched the moon rise over the desert."),
            TestArticles.Make("budget", Budget));

        var lists = await index.SearchAsync(TestArticles.Query("total solar eclipse astronomers"), None);

        Assert.Equal("eclipse", lists.Lexical[0].Passage.ArticleId);
        Assert.Equal(["eclipse", "moon", "panels"], lists.Lexical.Select(e => e.Passage.ArticleId).Order());
        Assert.All(lists.Lexical, e => Assert.True(e.Score > 0));
        Assert.Equal(lists.Lexical.Select(e => e.Score).OrderDescending(), lists.Lexical.Select(e => e.Score));
    }

    [Fact]
    public async Task An_author_filter_keeps_only_articles_by_that_author_whatever_the_case_and_passages_carry_their_authors()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("jane", "Storm warning for the coast.", authors: ["Jane Doe"]),
            TestArticles.Make("both", "Storm warning for the harbour.", authors: ["John Roe", "Jane Doe"]),
            TestArticles.Make("john", "Storm warning for the town.", authors: ["John Roe"]));

        var lists = await index.SearchAsync(TestArticles.Query("storm warning", new PassageFilter { Authors = ["jane doe"] }), None);
        var nobody = await index.SearchAsync(TestArticles.Query("storm warning", new PassageFilter { Authors = ["Nobody Atall"] }), None);

        Assert.Equal(["both", "jane"], lists.Lexical.Select(e => e.Passage.ArticleId).Order());
        Assert.Equal(["both", "jane"], lists.Dense.Select(e => e.Passage.ArticleId).Order());
        Assert.Equal(["John Roe", "Jane Doe"], lists.Lexical.Single(e => e.Passage.ArticleId == "both").Passage.Authors);
        Assert.True(nobody.IsEmpty);
    }

    [Fact]
    public async Task An_author_filter_follows_an_article_rewritten_with_other_authors()
    {
        var index = await NewIndexAsync(TestArticles.Make("a", "Storm warning for the coast.", authors: ["Jane Doe"]));
        await index.UpsertAsync(TestArticles.Make("a", "Storm warning for the coast, updated.", authors: ["John Roe"]), None);

        Assert.True((await index.SearchAsync(TestArticles.Query("storm", new PassageFilter { Authors = ["Jane Doe"] }), None)).IsEmpty);
        Assert.Single((await index.SearchAsync(TestArticles.Query("storm", new PassageFilter { Authors = ["John Roe"] }), None)).Lexical);
    }

    [Fact]
    public async Task Each_list_is_at_most_as_deep_as_the_query_asks()
    {
        var articles = Enumerable.Range(0, 30).Select(i => TestArticles.Make($"s{i:00}", $"Storm number {i} hit the harbour town.")).ToArray();
        var index = await NewIndexAsync(articles);

        var lists = await index.SearchAsync(TestArticles.Query("storm harbour", limit: 7), None);

        Assert.Equal(7, lists.Dense.Count);
        Assert.Equal(7, lists.Lexical.Count);
    }

    [Fact]
    public async Task A_filter_applies_to_both_lists()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("wire", "Storm warning for the coast.", source: "Reuters"),
            TestArticles.Make("paper", "Storm warning for the coast.", source: "Gazette"));

        var lists = await index.SearchAsync(TestArticles.Query("storm warning", new PassageFilter { Sources = ["reuters"] }), None);

        Assert.Equal(["wire"], lists.Dense.Select(e => e.Passage.ArticleId));
        Assert.Equal(["wire"], lists.Lexical.Select(e => e.Passage.ArticleId));
    }

    [Fact]
    public async Task Limit_caps_the_candidates_best_first()
    {
        var articles = Enumerable.Range(0, 30)
            .Select(i => TestArticles.Make($"a{i:00}", $"Report number {i} on the volcano and the lava field near town {i}."))
            .ToArray();
        var index = await NewIndexAsync(articles);

        var results = await index.SearchFusedAsync(TestArticles.Query("volcano lava", limit: 5), None);

        Assert.Equal(5, results.Count);
        Assert.Equal(results.Select(r => r.Score).OrderDescending(), results.Select(r => r.Score));
    }

    [Fact]
    public async Task Lexical_match_folds_typographic_apostrophes()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("korea", "South Korea\u2019s president visited the \u201Cfactory\u201D on Monday."),
            TestArticles.Make("budget", Budget),
            TestArticles.Make("football", Football));

        var results = await index.SearchFusedAsync(TestArticles.Query("Korea's"), None);

        var hit = Assert.Single(results, r => r.LexicalRank is not null);
        Assert.Equal("korea", hit.Passage.ArticleId);
        Assert.Equal(1, hit.LexicalRank);
    }

    [Fact]
    public async Task Initializing_with_another_embedder_throws_a_mismatch_that_says_to_reingest()
    {
        var index = await NewIndexAsync(TestArticles.Make("volcano", Volcano));
        await index.DisposeAsync();
        var reopened = await OpenAgainAsync(index);
        var other = new EmbedderDescriptor(Embedder.Name, 32);

        var error = await Assert.ThrowsAsync<IndexMismatchException>(() => reopened.InitializeAsync(other, None));

        Assert.Contains("re-ingest", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Embedder, error.Existing);
        Assert.Equal(other, error.Configured);
    }

    [Fact]
    public async Task Initializing_with_another_embedder_of_the_same_dimension_throws_a_mismatch()
    {
        var index = await NewIndexAsync(TestArticles.Make("volcano", Volcano));
        await index.DisposeAsync();
        var reopened = await OpenAgainAsync(index);

        await Assert.ThrowsAsync<IndexMismatchException>(
            () => reopened.InitializeAsync(new EmbedderDescriptor("another-model", Embedder.Dimensions), None));
    }

    [Fact]
    public async Task Reopened_index_keeps_its_articles()
    {
        var index = await NewIndexAsync(TestArticles.Make("volcano", Volcano), TestArticles.Make("budget", Budget));
        await index.DisposeAsync();

        var reopened = await OpenAgainAsync(index);
        await reopened.InitializeAsync(Embedder, None);

        var results = await reopened.SearchFusedAsync(TestArticles.Query("volcano erupted in Iceland"), None);
        Assert.Equal("volcano", results[0].Passage.ArticleId);
        Assert.Equal(4, (await reopened.GetStatisticsAsync(None)).Passages);
    }

    [Fact]
    public async Task Statistics_count_articles_passages_sources_and_dates()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("a", Volcano, source: "CNN", published: TestArticles.Day(2023, 5, 1)),
            TestArticles.Make("b", Budget, source: "cnn", published: TestArticles.Day(2024, 7, 9)),
            TestArticles.Make("c", Football, source: "USA TODAY", published: null),
            TestArticles.Make("d", "No source here.", source: null, published: TestArticles.Day(2022, 1, 2)));

        var statistics = await index.GetStatisticsAsync(None);

        Assert.Equal(4, statistics.Articles);
        Assert.Equal(6, statistics.Passages);
        Assert.Equal(2, statistics.Sources);
        Assert.Equal(TestArticles.Day(2022, 1, 2), statistics.OldestPublished);
        Assert.Equal(TestArticles.Day(2024, 7, 9), statistics.NewestPublished);
        Assert.Equal(Embedder, statistics.Embedder);
        Assert.False(string.IsNullOrWhiteSpace(statistics.Location));
    }

    [Fact]
    public async Task Sources_are_listed_by_case_insensitive_prefix()
    {
        var index = await NewIndexAsync(
            TestArticles.Make("a", Volcano, source: "CNN"),
            TestArticles.Make("b", Budget, source: "CNBC"),
            TestArticles.Make("c", Football, source: "USA TODAY"),
            TestArticles.Make("d", "Another one.", source: "cnn"));

        Assert.Equal(["CNBC", "CNN"], (await index.GetSourcesAsync("cn", 10, None)).Order(StringComparer.Ordinal));
        Assert.Equal(["USA TODAY"], await index.GetSourcesAsync("usa", 10, None));
        Assert.Equal(3, (await index.GetSourcesAsync(null, 10, None)).Count);
        Assert.Single(await index.GetSourcesAsync(null, 1, None));
        Assert.Empty(await index.GetSourcesAsync("reuters", 10, None));
    }

    private static IndexedArticle[] DatedVolcanoArticles() =>
    [
        TestArticles.Make("jan", "In January the volcano stirred and lava glowed.", published: TestArticles.Day(2024, 1, 10)),
        TestArticles.Make("feb-01", "On the first of February the volcano erupted; lava flowed.", published: TestArticles.Day(2024, 2, 1)),
        TestArticles.Make("feb-20", "Late in February lava from the volcano reached the road.", published: TestArticles.Day(2024, 2, 20)),
        TestArticles.Make("mar", "By March the volcano was quiet and the lava cooled.", published: TestArticles.Day(2024, 3, 5)),
        TestArticles.Make("undated", "An undated note about the volcano and its lava.", published: null),
    ];
}
