using System.Text.Json.Nodes;
using NewsBot.Core.Indexing;
using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenApi;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

public sealed class QdrantPassageIndexTests : QdrantServerFixture
{
    private static readonly DateTimeOffset May1 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Initialize_creates_the_collection_with_named_dense_and_idf_sparse_vectors_and_payload_indexes()
    {
        await InitializeAsync(Index);

        var collection = Server.Inspect("news")!;
        var create = collection.CreateRequest;
        Assert.Equal(4, create["vectors"]!["dense"]!["size"]!.GetValue<int>());
        Assert.Equal("Cosine", create["vectors"]!["dense"]!["distance"]!.GetValue<string>());
        Assert.Equal("idf", create["sparse_vectors"]!["lexical"]!["modifier"]!.GetValue<string>());
        Assert.Null(create["shard_number"]);
        Assert.Null(create["on_disk_payload"]);
        Assert.Null(create["vectors"]!["dense"]!["on_disk"]);
        Assert.Equal("test-embedder", collection.Metadata!["newsbot"]!["embedder"]!.GetValue<string>());
        Assert.Equal(4, collection.Metadata["newsbot"]!["dimensions"]!.GetValue<int>());
        Assert.Equal("keyword", collection.PayloadIndexes["article_id"]);
        Assert.Equal("keyword", collection.PayloadIndexes["source"]);
        Assert.Equal("keyword", collection.PayloadIndexes["source_key"]);
        Assert.Equal("datetime", collection.PayloadIndexes["published"]);
        Assert.Equal("keyword", collection.PayloadIndexes["content_hash"]);
        Assert.Equal("bool", collection.PayloadIndexes["head"]);
        Assert.Equal(
            ["GET /collections/news", "PUT /collections/news", "GET /collections/news", .. Enumerable.Repeat("PUT /collections/news/index", 6)],
            Server.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Initialize_passes_the_cluster_and_disk_settings()
    {
        await using var index = CreateIndex(o =>
        {
            o.ShardNumber = 6;
            o.ReplicationFactor = 2;
            o.WriteConsistencyFactor = 2;
            o.OnDisk = true;
        });
        await InitializeAsync(index);

        var create = Server.Inspect("news")!.CreateRequest;
        Assert.Equal(6, create["shard_number"]!.GetValue<int>());
        Assert.Equal(2, create["replication_factor"]!.GetValue<int>());
        Assert.Equal(2, create["write_consistency_factor"]!.GetValue<int>());
        Assert.True(create["on_disk_payload"]!.GetValue<bool>());
        Assert.True(create["vectors"]!["dense"]!["on_disk"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Initialize_twice_leaves_an_existing_collection_alone()
    {
        await InitializeAsync(Index);
        Server.ClearRequests();
        await using var again = CreateIndex();
        await InitializeAsync(again);
        Assert.Equal(["GET /collections/news"], Server.Requests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Initialize_with_another_dimension_names_the_collection_and_both_values()
    {
        await InitializeAsync(Index);
        await using var other = CreateIndex();
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => other.InitializeAsync(new EmbedderDescriptor("big-embedder", 8), CancellationToken.None));
        Assert.Contains("'news'", e.Message, StringComparison.Ordinal);
        Assert.Contains("test-embedder (4 dimensions)", e.Message, StringComparison.Ordinal);
        Assert.Contains("big-embedder (8 dimensions)", e.Message, StringComparison.Ordinal);
        Assert.Contains("Qdrant:Collection", e.Message, StringComparison.Ordinal);
        Assert.Equal(TestArticles.Embedder, e.Existing);
        Assert.Equal(new EmbedderDescriptor("big-embedder", 8), e.Configured);
    }

    [Fact]
    public async Task Initialize_with_another_embedder_of_the_same_size_is_refused()
    {
        await InitializeAsync(Index);
        await using var other = CreateIndex();
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => other.InitializeAsync(new EmbedderDescriptor("other-embedder", 4), CancellationToken.None));
        Assert.Contains("test-embedder (4 dimensions)", e.Message, StringComparison.Ordinal);
        Assert.Contains("other-embedder (4 dimensions)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collection_with_another_distance_is_refused()
    {
        Server.SeedCollection("news", """{"vectors":{"dense":{"size":4,"distance":"Dot"}},"sparse_vectors":{"lexical":{"modifier":"idf"}}}""");
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => InitializeAsync(Index));
        Assert.Contains("Dot", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cosine", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collection_with_one_unnamed_vector_is_refused()
    {
        Server.SeedCollection("news", """{"vectors":{"size":4,"distance":"Cosine"}}""");
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => InitializeAsync(Index));
        Assert.Contains("one unnamed vector of size 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fitting_collection_without_metadata_gets_the_embedder_recorded_and_missing_indexes_created()
    {
        Server.SeedCollection("news", """{"vectors":{"dense":{"size":4,"distance":"Cosine"}},"sparse_vectors":{"lexical":{"modifier":"idf"}}}""",
            new Dictionary<string, string> { ["article_id"] = "keyword" });
        await InitializeAsync(Index);
        var collection = Server.Inspect("news")!;
        Assert.Equal("test-embedder", collection.Metadata!["newsbot"]!["embedder"]!.GetValue<string>());
        Assert.Equal(6, collection.PayloadIndexes.Count);
        Assert.Equal(5, Server.Requests.Count(r => r is { Method: "PUT", Path: "/collections/news/index" }));
    }

    [Fact]
    public async Task Upsert_is_idempotent_for_an_unchanged_article()
    {
        await InitializeAsync(Index);
        var article = TestArticles.Make("world/a.txt", ["First passage about the summit.", "Second passage about the talks.", "Third."]);
        await Index.UpsertAsync(article, CancellationToken.None);
        await Index.UpsertAsync(article, CancellationToken.None);

        var points = Server.Inspect("news")!.Points;
        Assert.Equal(3, points.Count);
        Assert.Equal(
            article.Passages.Select(p => PointIds.ForPassage(p.Id)).Order(StringComparer.Ordinal),
            points.Select(p => p.Id).Order(StringComparer.Ordinal));
        var states = await Index.GetArticleStatesAsync(CancellationToken.None);
        Assert.Equal(new IndexedArticleState("world/a.txt", article.ContentHash, "/data/world/a.txt.txt"), Assert.Single(states).Value);
    }

    [Fact]
    public async Task Points_carry_the_passage_and_article_fields_in_their_payload()
    {
        await InitializeAsync(Index);
        var published = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.FromHours(2));
        var article = TestArticles.Make("a", ["One.", "Two words."], source: "The Guardian", published: published);
        await Index.UpsertAsync(article, CancellationToken.None);

        var payload = Server.Inspect("news")!.Points.Single(p => p.Payload["ordinal"]!.GetValue<int>() == 1).Payload;
        Assert.Equal("a#1", payload["passage_id"]!.GetValue<string>());
        Assert.Equal("a", payload["article_id"]!.GetValue<string>());
        Assert.Equal(6, payload["start"]!.GetValue<int>());
        Assert.Equal(16, payload["end"]!.GetValue<int>());
        Assert.Equal("Two words.", payload["text"]!.GetValue<string>());
        Assert.Equal("Title of a", payload["title"]!.GetValue<string>());
        Assert.Equal("The Guardian", payload["source"]!.GetValue<string>());
        Assert.Equal("the guardian", payload["source_key"]!.GetValue<string>());
        Assert.Equal("https://example.com/a", payload["url"]!.GetValue<string>());
        Assert.Equal("2024-05-01T12:30:00+02:00", payload["published"]!.GetValue<string>());
        Assert.Equal(article.ContentHash, payload["content_hash"]!.GetValue<string>());
        Assert.Equal("/data/a.txt", payload["origin"]!.GetValue<string>());

        var found = await SearchAsync("words", TestArticles.Unit(1));
        Assert.Equal(article.Passages[1], found[0].Passage);
    }

    [Fact]
    public async Task Replacement_writes_new_passages_first_and_deletes_stale_ones_after()
    {
        await InitializeAsync(Index);
        var old = TestArticles.Make("a", ["Old one about budgets.", "Old two about budgets.", "Old three about budgets."]);
        await Index.UpsertAsync(old, CancellationToken.None);
        Server.ClearRequests();

        var changed = TestArticles.Make("a", ["New one about elections.", "New two about elections."]);
        await Index.UpsertAsync(changed, CancellationToken.None);

        Assert.Equal(
            ["PUT /collections/news/points", "POST /collections/news/points/delete", "PUT /collections/news/points"],
            Server.Requests.Select(r => $"{r.Method} {r.Path}"));
        var firstWrite = JsonNode.Parse(Server.Requests[0].Body)!["points"]!.AsArray();
        Assert.Equal("a#1", Assert.Single(firstWrite)!["payload"]!["passage_id"]!.GetValue<string>());
        var lastWrite = JsonNode.Parse(Server.Requests[2].Body)!["points"]!.AsArray();
        Assert.True(Assert.Single(lastWrite)!["payload"]!["head"]!.GetValue<bool>());

        var points = Server.Inspect("news")!.Points;
        Assert.Equal(2, points.Count);
        Assert.All(points, p => Assert.Equal(changed.ContentHash, p.Payload["content_hash"]!.GetValue<string>()));
        Assert.Empty(await SearchAsync("budgets", new float[4]));
        Assert.Equal(2, (await SearchAsync("elections", new float[4])).Count);
    }

    [Fact]
    public async Task An_interrupted_replacement_leaves_the_article_searchable_and_the_next_run_completes_it()
    {
        await InitializeAsync(Index);
        var old = TestArticles.Make("a", ["Old one about budgets.", "Old two about budgets.", "Old three about budgets."]);
        await Index.UpsertAsync(old, CancellationToken.None);
        var changed = TestArticles.Make("a", ["New one about elections.", "New two about elections."]);

        Server.FailNext(10, 500, when: r => r.Path.EndsWith("/points/delete", StringComparison.Ordinal));
        await Assert.ThrowsAsync<IndexUnavailableException>(() => Index.UpsertAsync(changed, CancellationToken.None));
        Server.Recover();

        Assert.Equal(old.ContentHash, (await Index.GetArticleStatesAsync(CancellationToken.None))["a"].ContentHash);
        Assert.NotEmpty(await SearchAsync("budgets", new float[4]));

        await Index.UpsertAsync(changed, CancellationToken.None);
        var points = Server.Inspect("news")!.Points;
        Assert.Equal(2, points.Count);
        Assert.All(points, p => Assert.Equal(changed.ContentHash, p.Payload["content_hash"]!.GetValue<string>()));
        Assert.Equal(changed.ContentHash, (await Index.GetArticleStatesAsync(CancellationToken.None))["a"].ContentHash);
    }

    [Fact]
    public async Task Upserts_are_batched_and_every_write_waits()
    {
        await InitializeAsync(Index);
        Server.ClearRequests();
        await Index.UpsertAsync(TestArticles.Make("a", ["p0.", "p1.", "p2.", "p3.", "p4."]), CancellationToken.None);
        var upserts = Server.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal([2, 2, 1], upserts.Select(r => JsonNode.Parse(r.Body)!["points"]!.AsArray().Count));
        Assert.All(Server.Requests, r => Assert.Contains("wait=true", r.Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_removes_every_passage_of_the_given_articles_and_ignores_unknown_ids()
    {
        await InitializeAsync(Index);
        foreach (var id in new[] { "a", "b", "c" })
            await Index.UpsertAsync(TestArticles.Make(id, [$"{id} one.", $"{id} two."]), CancellationToken.None);

        await Index.DeleteAsync(["a", "c", "never-seen"], CancellationToken.None);

        Assert.Equal(["b"], (await Index.GetArticleStatesAsync(CancellationToken.None)).Keys);
        Assert.All(Server.Inspect("news")!.Points, p => Assert.Equal("b", p.Payload["article_id"]!.GetValue<string>()));
        Assert.Equal(2, Server.Inspect("news")!.Points.Count);
    }

    [Fact]
    public async Task Pruning_many_articles_deletes_by_filter_in_batches()
    {
        await InitializeAsync(Index);
        var ids = Enumerable.Range(0, 5).Select(i => $"article-{i}").ToList();
        foreach (var id in ids)
            await Index.UpsertAsync(TestArticles.Make(id, ["Only passage."]), CancellationToken.None);
        Server.ClearRequests();

        await Index.DeleteAsync(ids, CancellationToken.None);

        var deletes = Server.Requests.Where(r => r.Path.EndsWith("/points/delete", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, deletes.Count);
        Assert.All(deletes, d => Assert.NotNull(JsonNode.Parse(d.Body)!["filter"]));
        Assert.Empty(Server.Inspect("news")!.Points);
    }

    [Fact]
    public async Task Article_states_are_read_across_scroll_pages()
    {
        await using var index = CreateIndex(scrollPageSize: 2);
        await InitializeAsync(index);
        var articles = Enumerable.Range(0, 5).Select(i => TestArticles.Make($"a{i}", ["One.", "Two."])).ToList();
        foreach (var article in articles)
            await index.UpsertAsync(article, CancellationToken.None);

        var states = await index.GetArticleStatesAsync(CancellationToken.None);

        Assert.Equal(articles.Select(a => a.Article.Id).Order(), states.Keys.Order());
        Assert.All(articles, a => Assert.Equal(a.ContentHash, states[a.Article.Id].ContentHash));
        Assert.Equal(3, Server.Requests.Count(r => r.Path.EndsWith("/points/scroll", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sources_filter_ignores_case()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning for the coast."], source: "Reuters"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("b", ["Storm warning inland."], source: "BBC News"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("c", ["Storm over the hills."], source: null), CancellationToken.None);

        var found = await SearchAsync("storm", TestArticles.Unit(0), new PassageFilter { Sources = ["reuters", "bbc NEWS"] });
        Assert.Equal(["a", "b"], found.Select(c => c.Passage.ArticleId).Order());
    }

    [Fact]
    public async Task Date_range_excludes_undated_articles_and_an_as_of_date_keeps_them()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("early", ["Flood news."], published: May1.AddDays(-10)), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("inside", ["Flood news."], published: May1), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("late", ["Flood news."], published: May1.AddDays(10)), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("undated", ["Flood news."]), CancellationToken.None);

        var range = new PassageFilter { From = May1.AddDays(-1), To = May1.AddDays(1), IncludeUndated = false };
        Assert.Equal(["inside"], (await SearchAsync("flood", TestArticles.Unit(0), range)).Select(c => c.Passage.ArticleId));

        var asOf = new PassageFilter { To = May1, IncludeUndated = true };
        Assert.Equal(["early", "inside", "undated"], (await SearchAsync("flood", TestArticles.Unit(0), asOf)).Select(c => c.Passage.ArticleId).Order());

        // The inclusive bound is the exact instant, whatever offset the article was written with.
        var exact = new PassageFilter { From = May1.ToOffset(TimeSpan.FromHours(-5)), To = May1.ToOffset(TimeSpan.FromHours(9)), IncludeUndated = false };
        Assert.Equal(["inside"], (await SearchAsync("flood", TestArticles.Unit(0), exact)).Select(c => c.Passage.ArticleId));
    }

    [Fact]
    public async Task Hybrid_search_fuses_dense_and_lexical_ranks()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("rates", ["The central bank raised interest rates again."], [[1, 0, 0, 0]]), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("both", ["The volcano erupted and volcano ash closed airports."], [[0.9f, 0.43589f, 0, 0]]), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("mention", ["A volcano was mentioned in passing by the minister."], [[0, 1, 0, 0]]), CancellationToken.None);

        var found = await SearchAsync("volcano", [1, 0, 0, 0]);

        Assert.Equal(["both", "mention", "rates"], found.Select(c => c.Passage.ArticleId));
        Assert.Equal((2, 1), (found[0].DenseRank, found[0].LexicalRank));
        Assert.Equal((3, 2), (found[1].DenseRank, found[1].LexicalRank));
        Assert.Equal((1, (int?)null), (found[2].DenseRank, found[2].LexicalRank));
        Assert.Equal(ReciprocalRankFusion.Score(2, 1), found[0].Score, 9);
        Assert.Equal(0.9f, found[0].Similarity, 3);
        Assert.Equal(1f, found[2].Similarity, 3);
        Assert.Equal(0f, found[1].Similarity, 3);
    }

    [Fact]
    public async Task Recovered_ranks_equal_those_of_separate_dense_and_lexical_queries()
    {
        await InitializeAsync(Index);
        var random = new Random(7);
        string[] words = ["storm", "flood", "river", "rain", "council", "budget", "school", "bridge"];
        for (var a = 0; a < 12; a++)
        {
            var passages = Enumerable.Range(0, 3).Select(_ => string.Join(' ', Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)])) + ".").ToList();
            var vectors = passages.Select(_ => Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() - 0.3f).ToArray()).ToList();
            await Index.UpsertAsync(TestArticles.Make($"a{a:00}", passages, vectors), CancellationToken.None);
        }
        float[] vector = [0.5f, 0.2f, -0.1f, 0.7f];
        const int Limit = 8;
        const int Depth = 100; // each list is at least this deep

        var found = await SearchAsync("flood river", vector, limit: Limit);

        using var http = new HttpClient { BaseAddress = new Uri(Server.Url) };
        var denseIds = await QueryIdsAsync(http, $$"""{"query":[{{string.Join(',', vector)}}],"using":"dense","limit":{{Depth}},"with_payload":["passage_id"]}""");
        var (indices, values) = LexicalVector.ForQuery(["flood", "river"]);
        var lexicalIds = await QueryIdsAsync(http, $$"""{"query":{"indices":[{{string.Join(',', indices)}}],"values":[{{string.Join(',', values)}}]},"using":"lexical","limit":{{Depth}},"with_payload":["passage_id"]}""");
        Assert.Equal(Limit, found.Count);
        foreach (var candidate in found)
        {
            var dense = denseIds.IndexOf(candidate.Passage.Id);
            var lexical = lexicalIds.IndexOf(candidate.Passage.Id);
            Assert.Equal(dense < 0 ? null : dense + 1, candidate.DenseRank);
            Assert.Equal(lexical < 0 ? null : lexical + 1, candidate.LexicalRank);
        }
        Assert.Equal(found.OrderByDescending(c => c.Score).Select(c => c.Passage.Id), found.Select(c => c.Passage.Id));
    }

    [Fact]
    public async Task Search_is_one_query_request_with_a_dense_and_a_lexical_prefetch_fused_by_rrf()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning."], source: "Reuters"), CancellationToken.None);
        Server.ClearRequests();

        await SearchAsync("storm warning", TestArticles.Unit(0), new PassageFilter { Sources = ["Reuters"], To = May1 }, limit: 7);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("POST /collections/news/points/query", $"{request.Method} {request.Path}");
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("rrf", body["query"]!["fusion"]!.GetValue<string>());
        var prefetch = body["prefetch"]!.AsArray();
        Assert.Equal(["dense", "lexical"], prefetch.Select(p => p!["using"]!.GetValue<string>()));
        Assert.All(prefetch, p => Assert.True(p!["limit"]!.GetValue<int>() >= 7));
        Assert.All(prefetch, p => Assert.NotNull(p!["filter"]));
        Assert.Equal(2, prefetch[1]!["query"]!["indices"]!.AsArray().Count);
        Assert.True(body["with_payload"]!.GetValue<bool>());
        Assert.Equal("dense", body["with_vector"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Lexical_only_and_dense_only_queries_work_and_an_empty_query_finds_nothing()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning for the coast."], [[1, 0, 0, 0]]), CancellationToken.None);

        var lexical = Assert.Single(await SearchAsync("storm", new float[4]));
        Assert.Equal((null, 1), (lexical.DenseRank, lexical.LexicalRank));
        var dense = Assert.Single(await SearchAsync("the of", [1, 0, 0, 0]));
        Assert.Equal((1, (int?)null), (dense.DenseRank, dense.LexicalRank));
        Assert.Empty(await SearchAsync("the of", new float[4]));
    }

    [Fact]
    public async Task A_query_vector_whose_largest_component_is_negative_still_searches_dense()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning."], [[-1, 0.1f, 0, 0]]), CancellationToken.None);

        var found = Assert.Single(await SearchAsync("nothing matches", [-1, 0, 0, 0]));

        Assert.Equal(1, found.DenseRank);
        Assert.True(found.Similarity > 0.99f);
    }

    [Fact]
    public async Task Statistics_show_counts_dates_and_the_collection_settings()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["One.", "Two."], source: "Reuters", published: May1), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("b", ["Three."], source: "BBC", published: May1.AddDays(3)), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("c", ["Four."], source: "Reuters"), CancellationToken.None);

        var stats = await Index.GetStatisticsAsync(CancellationToken.None);

        Assert.Equal($"{Server.Url} (collection news)", stats.Location);
        Assert.Equal(3, stats.Articles);
        Assert.Equal(4, stats.Passages);
        Assert.Equal(2, stats.Sources);
        Assert.Equal(May1, stats.OldestPublished);
        Assert.Equal(May1.AddDays(3), stats.NewestPublished);
        Assert.Equal(TestArticles.Embedder, stats.Embedder);
        Assert.Equal("green", stats.Details["Status"]);
        Assert.Equal("4", stats.Details["Points"]);
        Assert.Equal("1", stats.Details["Shards"]);
        Assert.Equal("1", stats.Details["Replication factor"]);
        Assert.Equal("1", stats.Details["Write consistency factor"]);
        Assert.Equal("dense: 4 dimensions, Cosine, on disk: no", stats.Details["Dense vector"]);
        Assert.Equal("lexical: sparse, modifier idf", stats.Details["Lexical vector"]);
        Assert.Equal("1.19.0", stats.Details["Qdrant version"]);
    }

    [Fact]
    public async Task Sources_are_listed_by_case_insensitive_prefix()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["One."], source: "Reuters"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("b", ["Two."], source: "Radio Free"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("c", ["Three."], source: "BBC"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("d", ["Four."], source: "reuters"), CancellationToken.None);

        Assert.Equal(["BBC", "Radio Free", "Reuters"], await Index.GetSourcesAsync(null, 10, CancellationToken.None));
        Assert.Equal(["Radio Free", "Reuters"], await Index.GetSourcesAsync("r", 10, CancellationToken.None));
        Assert.Equal(["Radio Free"], await Index.GetSourcesAsync("R", 1, CancellationToken.None));
    }

    [Fact]
    public async Task Every_request_body_matches_qdrants_openapi_document()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm one.", "Storm two.", "Storm three."], source: "Reuters", published: May1), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("a", ["Calm."], source: "Reuters", published: May1), CancellationToken.None);
        await Index.GetArticleStatesAsync(CancellationToken.None);
        await SearchAsync("storm", TestArticles.Unit(0), new PassageFilter { Sources = ["x"], From = May1, To = May1, IncludeUndated = true });
        await Index.GetStatisticsAsync(CancellationToken.None);
        await Index.GetSourcesAsync("r", 5, CancellationToken.None);
        await Index.DeleteAsync(["a"], CancellationToken.None);

        var contract = OpenApiContract.Load(RepositoryPaths.SharedFile("specs", "qdrant-openapi.json"));
        var requests = Server.Requests;
        Assert.True(requests.Count > 15);
        foreach (var request in requests)
        {
            var violations = contract.ValidateRequest(request.Method, request.Path, request.Body);
            Assert.True(violations is { Count: 0 }, $"{request}: {string.Join("; ", violations ?? ["no such operation"])}");
        }
        Assert.DoesNotContain(requests, r => r.Path.Contains("/points/search", StringComparison.Ordinal));
    }

    private static async Task<List<string>> QueryIdsAsync(HttpClient http, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/collections/news/points/query", UriKind.Relative), content);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
        return json["result"]!["points"]!.AsArray().Select(p => p!["payload"]!["passage_id"]!.GetValue<string>()).ToList();
    }
}
