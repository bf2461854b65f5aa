using NewsBot.Core.Indexing;
using NewsBot.TestSupport.Qdrant;
using Qdrant.Client.Grpc;
using StatusCode = Grpc.Core.StatusCode;

namespace NewsBot.Qdrant.Tests;

public sealed class QdrantPassageIndexTests : QdrantServerFixture
{
    private static readonly DateTimeOffset May1 = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static string Str(IReadOnlyDictionary<string, Value> payload, string key) => payload[key].StringValue;

    private static CreateCollection Seed(Distance distance = Distance.Cosine, bool named = true, Modifier? modifier = Modifier.Idf)
    {
        var create = new CreateCollection { CollectionName = "news" };
        create.VectorsConfig = named
            ? new VectorsConfig { ParamsMap = new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 4, Distance = distance } } } }
            : new VectorsConfig { Params = new VectorParams { Size = 4, Distance = distance } };
        if (named)
        {
            var sparse = new SparseVectorParams();
            if (modifier is { } m)
                sparse.Modifier = m;
            create.SparseVectorsConfig = new SparseVectorConfig { Map = { ["lexical"] = sparse } };
        }
        return create;
    }

    [Fact]
    public async Task Initialize_creates_the_collection_with_named_dense_and_idf_sparse_vectors_and_payload_indexes()
    {
        await InitializeAsync(Index);

        var collection = Server.Collection("news")!;
        var create = collection.CreateRequest;
        var dense = create.VectorsConfig.ParamsMap.Map["dense"];
        Assert.Equal(4ul, dense.Size);
        Assert.Equal(Distance.Cosine, dense.Distance);
        Assert.False(dense.HasMemory);
        Assert.Equal(Modifier.Idf, create.SparseVectorsConfig.Map["lexical"].Modifier);
        Assert.False(create.HasShardNumber);
        Assert.Null(create.Payload);
        Assert.Equal("test-embedder", collection.Metadata["newsbot"].StructValue.Fields["embedder"].StringValue);
        Assert.Equal(4, collection.Metadata["newsbot"].StructValue.Fields["dimensions"].IntegerValue);
        Assert.Equal(PayloadSchemaType.Keyword, collection.PayloadIndexes["article_id"]);
        Assert.Equal(PayloadSchemaType.Keyword, collection.PayloadIndexes["source"]);
        Assert.Equal(PayloadSchemaType.Keyword, collection.PayloadIndexes["source_key"]);
        Assert.Equal(PayloadSchemaType.Datetime, collection.PayloadIndexes["published"]);
        Assert.Equal(PayloadSchemaType.Keyword, collection.PayloadIndexes["content_hash"]);
        Assert.Equal(PayloadSchemaType.Bool, collection.PayloadIndexes["head"]);
        Assert.Equal(PayloadSchemaType.Keyword, collection.PayloadIndexes["author_keys"]);
        Assert.Equal(["Get", "Create", "Get", .. Enumerable.Repeat("CreateFieldIndex", 7)], CallNames());
        Assert.All(Server.Calls.Where(c => c.Name == "CreateFieldIndex"), c => Assert.True(((CreateFieldIndexCollection)c.Request).Wait));
    }

    [Fact]
    public async Task Initialize_passes_the_cluster_and_memory_settings()
    {
        await using var index = CreateIndex(o =>
        {
            o.ShardNumber = 6;
            o.ReplicationFactor = 2;
            o.WriteConsistencyFactor = 2;
            o.Memory = "cold";
        });
        await InitializeAsync(index);

        var create = Server.Collection("news")!.CreateRequest;
        Assert.Equal(6u, create.ShardNumber);
        Assert.Equal(2u, create.ReplicationFactor);
        Assert.Equal(2u, create.WriteConsistencyFactor);
        Assert.Equal(Memory.Cold, create.VectorsConfig.ParamsMap.Map["dense"].Memory);
        Assert.Equal(Memory.Cold, create.SparseVectorsConfig.Map["lexical"].Index.Memory);
        Assert.Equal(Memory.Cold, create.Payload.Memory);
#pragma warning disable CS0612 // The deprecated flags must stay unset.
        Assert.False(create.HasOnDiskPayload);
        Assert.False(create.VectorsConfig.ParamsMap.Map["dense"].HasOnDisk);
#pragma warning restore CS0612
    }

    [Fact]
    public async Task Pinned_memory_pins_the_sparse_index_and_caches_what_qdrant_cannot_pin()
    {
        await using var index = CreateIndex(o => o.Memory = "Pinned");
        await InitializeAsync(index);

        var create = Server.Collection("news")!.CreateRequest;
        Assert.Equal(Memory.Cached, create.VectorsConfig.ParamsMap.Map["dense"].Memory);
        Assert.Equal(Memory.Pinned, create.SparseVectorsConfig.Map["lexical"].Index.Memory);
        Assert.Equal(Memory.Cached, create.Payload.Memory);
    }

    [Fact]
    public async Task Initialize_twice_leaves_an_existing_collection_alone()
    {
        await InitializeAsync(Index);
        var before = Server.Calls.Count;
        await using var again = CreateIndex();
        await InitializeAsync(again);
        Assert.Equal(["Get"], CallNames().Skip(before));
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
        Assert.DoesNotContain("Index:Path", e.Message, StringComparison.Ordinal);
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
        Server.SeedCollection(Seed(Distance.Dot));
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => InitializeAsync(Index));
        Assert.Contains("Dot", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cosine", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collection_with_one_unnamed_vector_is_refused()
    {
        Server.SeedCollection(Seed(named: false));
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => InitializeAsync(Index));
        Assert.Contains("one unnamed vector of size 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sparse_vector_without_the_idf_modifier_is_refused()
    {
        Server.SeedCollection(Seed(modifier: null));
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => InitializeAsync(Index));
        Assert.Contains("modifier none", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fitting_collection_without_metadata_gets_the_embedder_recorded_and_missing_indexes_created()
    {
        Server.SeedCollection(Seed(), new Dictionary<string, PayloadSchemaType> { ["article_id"] = PayloadSchemaType.Keyword });
        await InitializeAsync(Index);
        var collection = Server.Collection("news")!;
        Assert.Equal("test-embedder", collection.Metadata["newsbot"].StructValue.Fields["embedder"].StringValue);
        Assert.Equal(7, collection.PayloadIndexes.Count);
        Assert.Equal(6, Server.CallCount("CreateFieldIndex"));
        Assert.Equal(1, Server.CallCount("Update"));
    }

    [Fact]
    public async Task Upsert_is_idempotent_for_an_unchanged_article()
    {
        await InitializeAsync(Index);
        var article = TestArticles.Make("world/a.txt", ["First passage about the summit.", "Second passage about the talks.", "Third."]);
        await Index.UpsertAsync(article, CancellationToken.None);
        await Index.UpsertAsync(article, CancellationToken.None);

        var points = Server.Collection("news")!.Points;
        Assert.Equal(3, points.Count);
        Assert.Equal(
            article.Passages.Select(p => PointIds.ForPassage(p.Id)).Order(StringComparer.Ordinal),
            points.Select(p => p.Id).Order(StringComparer.Ordinal));
        var states = await Index.GetArticleStatesAsync(CancellationToken.None);
        Assert.Equal(new IndexedArticleState("world/a.txt", article.ContentHash, "/data/world/a.txt.txt"), Assert.Single(states).Value);
    }

    [Fact]
    public async Task Points_carry_the_passage_and_article_fields_in_their_payload_and_core_s_terms()
    {
        await InitializeAsync(Index);
        var published = new DateTimeOffset(2024, 5, 1, 12, 30, 0, TimeSpan.FromHours(2));
        var article = TestArticles.Make("a", ["One.", "Two words."], source: "The Guardian", published: published);
        await Index.UpsertAsync(article, CancellationToken.None);

        var point = Server.Collection("news")!.Points.Single(p => p.Payload["ordinal"].IntegerValue == 1);
        var payload = point.Payload;
        Assert.Equal("a#1", Str(payload, "passage_id"));
        Assert.Equal("a", Str(payload, "article_id"));
        Assert.Equal(6, payload["start"].IntegerValue);
        Assert.Equal(16, payload["end"].IntegerValue);
        Assert.Equal("Two words.", Str(payload, "text"));
        Assert.Equal("Title of a", Str(payload, "title"));
        Assert.Equal("The Guardian", Str(payload, "source"));
        Assert.Equal("the guardian", Str(payload, "source_key"));
        Assert.Equal("https://example.com/a", Str(payload, "url"));
        Assert.Equal("2024-05-01T12:30:00+02:00", Str(payload, "published"));
        Assert.Equal(article.ContentHash, Str(payload, "content_hash"));
        Assert.Equal("/data/a.txt", Str(payload, "origin"));
        Assert.False(payload.ContainsKey("head"));
        // The sparse vector holds exactly the terms Core tokenised for the passage.
        Assert.Equal(article.Terms[1].Terms.Select(LexicalVector.TermId).Order(), point.SparseVectors["lexical"].Select(e => e.Index));

        var found = await SearchAsync("words", TestArticles.Unit(1));
        Assert.Equal(article.Passages[1], found.Dense[0].Passage);
        Assert.Equal(article.Passages[1], Assert.Single(found.Lexical).Passage);
    }

    [Fact]
    public async Task Replacement_writes_new_passages_first_and_deletes_stale_ones_after()
    {
        await InitializeAsync(Index);
        var old = TestArticles.Make("a", ["Old one about budgets.", "Old two about budgets.", "Old three about budgets."]);
        await Index.UpsertAsync(old, CancellationToken.None);
        var before = Server.Calls.Count;

        var changed = TestArticles.Make("a", ["New one about elections.", "New two about elections."]);
        await Index.UpsertAsync(changed, CancellationToken.None);

        var calls = Server.Calls.Skip(before).ToList();
        Assert.Equal(["Upsert", "Delete", "Upsert"], calls.Select(c => c.Name));
        Assert.Equal("a#1", Assert.Single(((UpsertPoints)calls[0].Request).Points).Payload["passage_id"].StringValue);
        Assert.Equal(PointsSelector.PointsSelectorOneOfOneofCase.Filter, ((DeletePoints)calls[1].Request).Points.PointsSelectorOneOfCase);
        Assert.True(Assert.Single(((UpsertPoints)calls[2].Request).Points).Payload["head"].BoolValue);

        var points = Server.Collection("news")!.Points;
        Assert.Equal(2, points.Count);
        Assert.All(points, p => Assert.Equal(changed.ContentHash, Str(p.Payload, "content_hash")));
        Assert.Empty((await SearchAsync("budgets", new float[4])).Lexical);
        Assert.Equal(2, (await SearchAsync("elections", new float[4])).Lexical.Count);
    }

    [Fact]
    public async Task An_interrupted_replacement_leaves_the_article_searchable_and_the_next_run_completes_it()
    {
        await InitializeAsync(Index);
        var old = TestArticles.Make("a", ["Old one about budgets.", "Old two about budgets.", "Old three about budgets."]);
        await Index.UpsertAsync(old, CancellationToken.None);
        var changed = TestArticles.Make("a", ["New one about elections.", "New two about elections."]);

        Server.Fail("Delete", StatusCode.Internal, times: 10);
        await Assert.ThrowsAsync<IndexUnavailableException>(() => Index.UpsertAsync(changed, CancellationToken.None));
        Server.ClearFaults();

        Assert.Equal(old.ContentHash, (await Index.GetArticleStatesAsync(CancellationToken.None))["a"].ContentHash);
        Assert.NotEmpty((await SearchAsync("budgets", new float[4])).Lexical);

        await Index.UpsertAsync(changed, CancellationToken.None);
        var points = Server.Collection("news")!.Points;
        Assert.Equal(2, points.Count);
        Assert.All(points, p => Assert.Equal(changed.ContentHash, Str(p.Payload, "content_hash")));
        Assert.Equal(changed.ContentHash, (await Index.GetArticleStatesAsync(CancellationToken.None))["a"].ContentHash);
    }

    [Fact]
    public async Task Upserts_are_batched_and_every_write_waits()
    {
        await InitializeAsync(Index);
        var before = Server.Calls.Count;
        await Index.UpsertAsync(TestArticles.Make("a", ["p0.", "p1.", "p2.", "p3.", "p4."]), CancellationToken.None);
        var calls = Server.Calls.Skip(before).ToList();
        var upserts = calls.Where(c => c.Name == "Upsert").Select(c => (UpsertPoints)c.Request).ToList();
        Assert.Equal([2, 2, 1], upserts.Select(u => u.Points.Count));
        Assert.All(upserts, u => Assert.True(u.Wait));
        Assert.All(calls.Where(c => c.Name == "Delete"), c => Assert.True(((DeletePoints)c.Request).Wait));
    }

    [Fact]
    public async Task Delete_removes_every_passage_of_the_given_articles_and_ignores_unknown_ids()
    {
        await InitializeAsync(Index);
        foreach (var id in new[] { "a", "b", "c" })
            await Index.UpsertAsync(TestArticles.Make(id, [$"{id} one.", $"{id} two."]), CancellationToken.None);

        await Index.DeleteAsync(["a", "c", "never-seen"], CancellationToken.None);

        Assert.Equal(["b"], (await Index.GetArticleStatesAsync(CancellationToken.None)).Keys);
        var points = Server.Collection("news")!.Points;
        Assert.Equal(2, points.Count);
        Assert.All(points, p => Assert.Equal("b", Str(p.Payload, "article_id")));
    }

    [Fact]
    public async Task Pruning_many_articles_deletes_by_filter_in_batches()
    {
        await InitializeAsync(Index);
        var ids = Enumerable.Range(0, 5).Select(i => $"article-{i}").ToList();
        foreach (var id in ids)
            await Index.UpsertAsync(TestArticles.Make(id, ["Only passage."]), CancellationToken.None);
        var before = Server.Calls.Count;

        await Index.DeleteAsync(ids, CancellationToken.None);

        var deletes = Server.Calls.Skip(before).Where(c => c.Name == "Delete").Select(c => (DeletePoints)c.Request).ToList();
        Assert.Equal(3, deletes.Count);
        Assert.All(deletes, d => Assert.NotNull(d.Points.Filter));
        Assert.Empty(Server.Collection("news")!.Points);
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

        Assert.Equal(articles.Select(a => a.Article.Id).Order(StringComparer.Ordinal), states.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, Server.CallCount("Scroll"));
    }

    [Fact]
    public async Task Sources_filter_ignores_case()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("r", ["Storm warning."], source: "Reuters"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("b", ["Storm warning."], source: "BBC News"), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("g", ["Storm warning."], source: "Gazette"), CancellationToken.None);

        var found = await SearchAsync("storm", TestArticles.Unit(0), new PassageFilter { Sources = ["reuters", "bbc NEWS"] });

        Assert.Equal(["b", "r"], found.Dense.Select(c => c.Passage.ArticleId).Order());
        Assert.Equal(["b", "r"], found.Lexical.Select(c => c.Passage.ArticleId).Order());
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
        Assert.Equal(["inside"], (await SearchAsync("flood", TestArticles.Unit(0), range)).Lexical.Select(c => c.Passage.ArticleId));

        var asOf = new PassageFilter { To = May1.AddDays(1), IncludeUndated = true };
        Assert.Equal(["early", "inside", "undated"], (await SearchAsync("flood", TestArticles.Unit(0), asOf)).Lexical.Select(c => c.Passage.ArticleId).Order());

        var exact = new PassageFilter { From = May1, To = May1, IncludeUndated = false };
        Assert.Equal(["inside"], (await SearchAsync("flood", TestArticles.Unit(0), exact)).Dense.Select(c => c.Passage.ArticleId));
    }

    [Fact]
    public async Task Search_is_one_query_batch_with_a_dense_and_a_sparse_query_of_the_same_filter_and_depth()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning for the coast."], published: May1), CancellationToken.None);
        var before = Server.Calls.Count;

        await SearchAsync("storm warning", TestArticles.Unit(0), new PassageFilter { Sources = ["Reuters"], To = May1 }, depth: 7);

        var call = Assert.Single(Server.Calls.Skip(before));
        Assert.Equal("QueryBatch", call.Name);
        var batch = (QueryBatchPoints)call.Request;
        Assert.Equal(2, batch.QueryPoints.Count);
        var (dense, sparse) = (batch.QueryPoints[0], batch.QueryPoints[1]);
        Assert.Equal("dense", dense.Using);
        Assert.Equal(VectorInput.VariantOneofCase.Dense, dense.Query.Nearest.VariantCase);
        Assert.Equal("lexical", sparse.Using);
        Assert.Equal(VectorInput.VariantOneofCase.Sparse, sparse.Query.Nearest.VariantCase);
        Assert.All(batch.QueryPoints, q => Assert.Equal(7ul, q.Limit));
        Assert.Equal(dense.Filter, sparse.Filter);
        Assert.NotNull(dense.Filter);
        Assert.Empty(dense.Prefetch);
    }

    [Fact]
    public async Task The_lists_are_ranked_by_raw_cosine_and_bm25_scores()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("close", ["Volcano erupts."], vectors: [[0.9f, 0.1f, 0, 0]]), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("far", ["Volcano volcano ash."], vectors: [[0, 1, 0, 0]]), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("exact", ["Nothing here."], vectors: [[1, 0, 0, 0]]), CancellationToken.None);

        var found = await SearchAsync("volcano", [1, 0, 0, 0]);

        Assert.Equal(["exact", "close", "far"], found.Dense.Select(c => c.Passage.ArticleId));
        Assert.Equal(1.0, found.Dense[0].Score, 3);
        Assert.Equal(0.0, found.Dense[2].Score, 3);
        Assert.Equal(["far", "close"], found.Lexical.Select(c => c.Passage.ArticleId));
        Assert.True(found.Lexical[0].Score > found.Lexical[1].Score);
    }

    [Fact]
    public async Task Lexical_only_and_dense_only_queries_work_and_an_empty_query_finds_nothing()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning."]), CancellationToken.None);

        var lexical = await SearchAsync("storm", new float[4]);
        Assert.Empty(lexical.Dense);
        Assert.Single(lexical.Lexical);
        var dense = await SearchAsync("", TestArticles.Unit(0));
        Assert.Single(dense.Dense);
        Assert.Empty(dense.Lexical);
        Assert.True((await SearchAsync("", new float[4])).IsEmpty);
    }

    [Fact]
    public async Task A_query_vector_whose_largest_component_is_negative_still_searches_dense()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm."], vectors: [[-1, 0, 0, 0]]), CancellationToken.None);

        var found = Assert.Single((await SearchAsync("", [-1, 0.1f, 0, 0])).Dense);
        Assert.True(found.Score > 0.99);
    }

    [Fact]
    public async Task Statistics_show_counts_dates_and_the_collection_settings()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["One.", "Two."], source: "Reuters", published: May1), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("b", ["One."], source: "reuters", published: May1.AddDays(3)), CancellationToken.None);
        await Index.UpsertAsync(TestArticles.Make("c", ["One."], source: "BBC"), CancellationToken.None);

        var stats = await Index.GetStatisticsAsync(CancellationToken.None);

        Assert.Equal(3, stats.Articles);
        Assert.Equal(4, stats.Passages);
        Assert.Equal(2, stats.Sources);
        Assert.Equal(May1, stats.OldestPublished);
        Assert.Equal(May1.AddDays(3), stats.NewestPublished);
        Assert.Equal(TestArticles.Embedder, stats.Embedder);
        Assert.Equal("news", stats.Details["Collection"]);
        Assert.Equal("Green", stats.Details["Status"]);
        Assert.Equal("4", stats.Details["Points"]);
        Assert.Contains("4 dimensions, Cosine", stats.Details["Dense vector"], StringComparison.Ordinal);
        Assert.Contains("modifier Idf", stats.Details["Lexical vector"], StringComparison.Ordinal);
        Assert.Equal("1.19.0", stats.Details["Qdrant version"]);
        Assert.Equal(4, await Index.CountPassagesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_readiness_count_is_one_cheap_call()
    {
        await InitializeAsync(Index);
        var before = Server.Calls.Count;
        Assert.Equal(0, await Index.CountPassagesAsync(CancellationToken.None));
        Assert.Equal(["Count"], CallNames().Skip(before));
    }

    [Fact]
    public async Task Sources_are_listed_by_case_insensitive_prefix()
    {
        await InitializeAsync(Index);
        foreach (var (id, source) in new[] { ("a", "Reuters"), ("b", "reuters"), ("c", "Radio Free"), ("d", "BBC") })
            await Index.UpsertAsync(TestArticles.Make(id, ["One."], source: source), CancellationToken.None);

        Assert.Equal(["Radio Free", "Reuters"], await Index.GetSourcesAsync("r", 10, CancellationToken.None));
        Assert.Equal(["BBC"], await Index.GetSourcesAsync(null, 1, CancellationToken.None));
    }
}
