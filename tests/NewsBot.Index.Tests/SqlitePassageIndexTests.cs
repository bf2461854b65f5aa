using Microsoft.Data.Sqlite;
using NewsBot.Core.Indexing;
using NewsBot.Core.Retrieval;
using NewsBot.Storage.Sqlite;
using NewsBot.TestSupport;

namespace NewsBot.Index.Tests;

public sealed class SqlitePassageIndexTests : PassageIndexContract
{
    private const string OldVersion = "The mayor opened the new harbour bridge.\n\nThousands walked across the harbour bridge.\n\nFireworks closed the harbour festival.";
    private const string NewVersion = "The governor cancelled the tunnel project.\n\nEngineers had warned about the tunnel costs.\n\nThe tunnel site will become a park.";

    private readonly TempDirectory _temp = new();
    private readonly List<SqlitePassageIndex> _tracked = [];

    protected override async Task<IPassageIndex> CreateIndexAsync(EmbedderDescriptor embedder)
    {
        var index = Open(_temp.File($"{Guid.NewGuid():N}.db"));
        await index.InitializeAsync(embedder, None);
        return index;
    }

    protected override Task<IPassageIndex> ReopenAsync(IPassageIndex previous) => Task.FromResult<IPassageIndex>(Open(previous.Location));

    public override async Task DisposeAsync()
    {
        foreach (var index in _tracked)
            await index.DisposeAsync();
        await base.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Location_is_the_full_path_of_the_file()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync();

        Assert.True(Path.IsPathFullyQualified(index.Location));
        Assert.True(File.Exists(index.Location));
    }

    [Fact]
    public async Task Exception_in_the_middle_of_an_upsert_leaves_the_previous_version_whole()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        await index.SearchFusedAsync(TestArticles.Query("harbour"), None); // loads the in-memory index, which must stay right too
        index.AfterPassageWritten = i =>
        {
            if (i == 1)
                throw new IOException("injected failure after the second passage");
        };

        await Assert.ThrowsAsync<IOException>(() => index.UpsertAsync(TestArticles.Make("bridge", NewVersion), None));
        index.AfterPassageWritten = null;

        await AssertHoldsOldVersionAsync(index);
        await index.DisposeAsync();
        var reopened = await OpenAgainAsync(index);
        await reopened.InitializeAsync(Embedder, None);
        await AssertHoldsOldVersionAsync(reopened);
    }

    [Fact]
    public async Task Cancellation_in_the_middle_of_an_upsert_leaves_the_previous_version_whole()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        using var cancellation = new CancellationTokenSource();
        index.AfterPassageWritten = i =>
        {
            if (i == 0)
                cancellation.Cancel();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.UpsertAsync(TestArticles.Make("bridge", NewVersion), cancellation.Token));
        index.AfterPassageWritten = null;

        await AssertHoldsOldVersionAsync(index);
        await index.DisposeAsync();
        var reopened = await OpenAgainAsync(index);
        await reopened.InitializeAsync(Embedder, None);
        await AssertHoldsOldVersionAsync(reopened);
    }

    [Fact]
    public async Task Failed_upsert_of_a_new_article_leaves_no_trace()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        index.AfterPassageWritten = _ => throw new IOException("injected");

        await Assert.ThrowsAsync<IOException>(() => index.UpsertAsync(TestArticles.Make("tunnel", NewVersion), None));
        index.AfterPassageWritten = null;

        Assert.Equal(["bridge"], (await index.GetArticleStatesAsync(None)).Keys);
        Assert.Equal(3, (await index.GetStatisticsAsync(None)).Passages);
    }

    [Fact]
    public async Task Garbage_file_gives_IndexUnavailableException_naming_the_path()
    {
        var path = _temp.Write("garbage.db", "this is a text file, not an index " + new string('x', 5000));
        var index = Track(Open(path));

        var error = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(Embedder, None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Index:Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_with_a_SQLite_header_but_garbage_after_it_gives_IndexUnavailableException()
    {
        var path = _temp.File("damaged.db");
        var bytes = new byte[16384];
        new Random(7).NextBytes(bytes);
        "SQLite format 3\0"u8.CopyTo(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        var index = Track(Open(path));

        var error = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(Embedder, None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_programs_SQLite_database_is_refused()
    {
        var path = _temp.File("other.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE meta(x INTEGER); CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);";
            await command.ExecuteNonQueryAsync();
        }
        var index = Track(Open(path));

        var error = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(Embedder, None));

        Assert.Contains("not a NewsBot index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_parent_folder_is_created()
    {
        var path = _temp.File(Path.Combine("nested", "deeper", "index.db"));
        var index = Track(Open(path));

        await index.InitializeAsync(Embedder, None);
        await index.UpsertAsync(TestArticles.Make("bridge", OldVersion), None);

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task File_can_be_deleted_after_dispose()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        await index.SearchFusedAsync(TestArticles.Query("bridge"), None);

        await index.DisposeAsync();

        File.Delete(index.Location);
        Assert.False(File.Exists(index.Location));
        Assert.False(File.Exists(index.Location + "-wal"));
    }

    [Fact]
    public async Task Using_the_index_before_initializing_it_says_so()
    {
        var index = Track(Open(_temp.File("late.db")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => index.GetStatisticsAsync(None));

        Assert.Contains("InitializeAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_searches_return_what_a_single_search_returns()
    {
        var articles = Enumerable.Range(0, 200)
            .Select(i => TestArticles.Make($"a{i:000}", $"Story {i} about topic{i % 17} and theme{i % 5}.\n\nMore on topic{i % 13} from desk{i % 7}."))
            .ToArray();
        var index = await NewIndexAsync(articles);
        var queries = Enumerable.Range(0, 17).Select(i => TestArticles.Query($"topic{i} theme{i % 5}")).ToArray();
        var expected = new List<string>[queries.Length];
        for (var i = 0; i < queries.Length; i++)
            expected[i] = Ids(await index.SearchFusedAsync(queries[i], None));

        var tasks = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; round < 25; round++)
            {
                var q = (worker + round) % queries.Length;
                Assert.Equal(expected[q], Ids(await index.SearchFusedAsync(queries[q], None)));
            }
        }));
        await Task.WhenAll(tasks);

        static List<string> Ids(IReadOnlyList<PassageCandidate> results) => results.Select(r => r.Passage.Id).ToList();
    }

    [Fact]
    public async Task Searches_run_safely_while_the_same_index_is_written()
    {
        var index = await NewIndexAsync(Enumerable.Range(0, 50).Select(i => TestArticles.Make($"old{i}", $"Old story {i} about the harbour.")).ToArray());
        await index.SearchFusedAsync(TestArticles.Query("harbour"), None);
        using var writing = new CancellationTokenSource();

        var searchers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var searches = 0;
            while (!writing.IsCancellationRequested || searches == 0)
            {
                var results = await index.SearchFusedAsync(TestArticles.Query("harbour story", limit: 20), None);
                Assert.Equal(20, results.Count);
                Assert.Equal(results.Count, results.Select(r => r.Passage.Id).Distinct().Count());
                searches++;
            }
            return searches;
        })).ToList();
        for (var i = 0; i < 50; i++)
        {
            await index.UpsertAsync(TestArticles.Make($"new{i}", $"New story {i} about the harbour and a walrus{i}."), None);
            if (i % 5 == 0)
                await index.DeleteAsync([$"old{i}"], None);
        }
        await writing.CancelAsync();

        Assert.All(await Task.WhenAll(searchers), count => Assert.True(count > 0));
        Assert.Equal(["new49"], await LexicalArticlesAsync(index, "walrus49"));
        Assert.Equal(90, (await index.GetStatisticsAsync(None)).Articles);
    }

    [Fact]
    public async Task Writes_by_another_process_are_seen_by_an_index_already_in_memory()
    {
        var reader = await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        await reader.SearchFusedAsync(TestArticles.Query("harbour"), None);
        var writer = await OpenAgainAsync(reader);
        await writer.InitializeAsync(Embedder, None);

        await writer.UpsertAsync(TestArticles.Make("tunnel", NewVersion), None);
        await writer.DeleteAsync(["bridge"], None);

        var results = await reader.SearchFusedAsync(TestArticles.Query("tunnel harbour", limit: 20), None);
        Assert.Equal(["tunnel"], results.Select(r => r.Passage.ArticleId).Distinct());
    }

    [Fact]
    public async Task Writes_interleaved_with_another_process_are_all_seen()
    {
        var mine = await NewIndexAsync(TestArticles.Make("bridge", OldVersion), TestArticles.Make("old", "An old story about a lighthouse."));
        await mine.SearchFusedAsync(TestArticles.Query("harbour"), None);
        var theirs = await OpenAgainAsync(mine);
        await theirs.InitializeAsync(Embedder, None);

        await theirs.UpsertAsync(TestArticles.Make("tunnel", NewVersion), None);
        await mine.UpsertAsync(TestArticles.Make("ferry", "The ferry to the island was cancelled."), None);
        await theirs.DeleteAsync(["old"], None);
        await theirs.UpsertAsync(TestArticles.Make("bridge", "The harbour bridge reopened after repairs."), None);
        await mine.UpsertAsync(TestArticles.Make("lighthouse", "A new lighthouse keeper arrived."), None);

        Assert.Equal(["tunnel"], await LexicalArticlesAsync(mine, "tunnel"));
        Assert.Equal(["ferry"], await LexicalArticlesAsync(mine, "ferry"));
        Assert.Equal(["lighthouse"], await LexicalArticlesAsync(mine, "lighthouse"));
        Assert.Equal(["bridge"], await LexicalArticlesAsync(mine, "repairs"));
        Assert.Empty(await LexicalArticlesAsync(mine, "fireworks"));
        var all = await mine.SearchFusedAsync(TestArticles.Query("story", limit: 50), None);
        Assert.Equal(["bridge#0", "ferry#0", "lighthouse#0", "tunnel#0", "tunnel#1", "tunnel#2"], all.Select(r => r.Passage.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Writes_after_the_first_search_are_searchable_at_once()
    {
        var index = await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        await index.SearchFusedAsync(TestArticles.Query("harbour"), None);

        await index.UpsertAsync(TestArticles.Make("tunnel", NewVersion), None);
        await index.UpsertAsync(TestArticles.Make("bridge", "The harbour bridge closed for repairs."), None);

        var tunnel = await index.SearchFusedAsync(TestArticles.Query("tunnel"), None);
        Assert.Equal("tunnel", tunnel[0].Passage.ArticleId);
        var fireworks = await index.SearchFusedAsync(TestArticles.Query("fireworks festival", limit: 20), None);
        Assert.DoesNotContain(fireworks, r => r.LexicalRank is not null);
    }

    [Fact]
    public async Task A_passage_stores_the_terms_core_tokenised_and_no_full_text_table_is_kept()
    {
        var index = await NewIndexAsync(TestArticles.Make("korea", "South Korea\u2019s zeppelin landed."));
        await index.UpsertAsync(TestArticles.Make("korea", "South Korea\u2019s airship landed."), None);

        var lists = await index.SearchAsync(TestArticles.Query("korea airship"), None);
        Assert.Equal("korea", Assert.Single(lists.Lexical).Passage.ArticleId);
        Assert.Empty((await index.SearchAsync(TestArticles.Query("zeppelin"), None)).Lexical);

        await using var connection = new SqliteConnection($"Data Source={index.Location};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'passages_fts%'";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_index_of_the_previous_schema_is_refused_with_the_way_to_rebuild_it()
    {
        var index = await NewIndexAsync(TestArticles.Make("korea", "South Korea landed."));
        var path = index.Location;
        await index.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = '1' WHERE key = 'schema_version'";
            await command.ExecuteNonQueryAsync();
        }

        await using var reopened = new SqlitePassageIndex(new SqliteIndexOptions { Path = path });
        var error = await Assert.ThrowsAsync<IndexUnavailableException>(() => reopened.InitializeAsync(Embedder, None));
        Assert.Contains("older NewsBot", error.Message, StringComparison.Ordinal);
        Assert.Contains("ingest again", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bulk_writes_are_committed_when_the_scope_ends()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync();

        using (index.BeginBulkWrite())
        {
            for (var i = 0; i < 25; i++)
                await index.UpsertAsync(TestArticles.Make($"a{i}", $"Bulk story {i} about the harbour."), None);
            Assert.Equal(25, (await index.GetStatisticsAsync(None)).Articles);
        }
        await index.DisposeAsync();

        var reopened = await OpenAgainAsync(index);
        await reopened.InitializeAsync(Embedder, None);
        Assert.Equal(25, (await reopened.GetStatisticsAsync(None)).Articles);
    }

    [Fact]
    public async Task Failed_upsert_inside_a_bulk_write_keeps_the_other_articles_and_the_previous_version()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        await index.SearchFusedAsync(TestArticles.Query("harbour"), None);

        using (index.BeginBulkWrite())
        {
            await index.UpsertAsync(TestArticles.Make("before", "Written before the failure."), None);
            index.AfterPassageWritten = i =>
            {
                if (i == 1)
                    throw new IOException("injected");
            };
            await Assert.ThrowsAsync<IOException>(() => index.UpsertAsync(TestArticles.Make("bridge", NewVersion), None));
            index.AfterPassageWritten = null;
            await index.UpsertAsync(TestArticles.Make("after", "Written after the failure."), None);
        }

        await AssertHoldsOldVersionAsync(index, articles: 3);
        await index.DisposeAsync();
        var reopened = await OpenAgainAsync(index);
        await reopened.InitializeAsync(Embedder, None);
        await AssertHoldsOldVersionAsync(reopened, articles: 3);
    }

    [Fact]
    public async Task Vectors_that_are_not_unit_length_are_compared_by_cosine()
    {
        var article = TestArticles.Make("bridge", OldVersion);
        var scaled = article with { Vectors = article.Vectors.Select(v => (ReadOnlyMemory<float>)v.ToArray().Select(x => x * 7).ToArray()).ToList() };
        var index = await NewIndexAsync(scaled);
        var query = TestArticles.Query("harbour bridge");
        var longQuery = query with { Vector = query.Vector.ToArray().Select(x => x * 3).ToArray() };

        var results = await index.SearchFusedAsync(longQuery, None);

        Assert.All(results, r => Assert.InRange(r.Similarity, -1.0001f, 1.0001f));
        Assert.Equal(WordHashEmbedder.Cosine(WordHashEmbedder.Embed(results[0].Passage.Text), query.Vector.ToArray()), results[0].Similarity, 4);
    }

    [Fact]
    public async Task Dense_ranks_are_exact_cosine_ranks()
    {
        var random = new Random(11);
        var articles = RandomArticles(random, articles: 300, spread: 1f);
        var index = (SqlitePassageIndex)await NewIndexAsync(RandomEmbedder, articles);

        foreach (var query in Enumerable.Range(0, 20).Select(_ => RandomUnit(random, spread: 1f)))
            await AssertExactDenseRanksAsync(index, articles, query);
        Assert.Equal(0, index.ExactFallbacks);
    }

    [Fact]
    public async Task Dense_ranks_stay_exact_when_vectors_are_too_close_for_the_quick_pass()
    {
        // Vectors that differ by far less than int8 codes can tell apart: the quick pass cannot prove its
        // shortlist holds the best ones, so the search has to fall back to float32 over every vector.
        var random = new Random(12);
        var articles = RandomArticles(random, articles: 300, spread: 0.001f);
        var index = (SqlitePassageIndex)await NewIndexAsync(RandomEmbedder, articles);

        foreach (var query in Enumerable.Range(0, 5).Select(_ => RandomUnit(random, spread: 0.001f)))
            await AssertExactDenseRanksAsync(index, articles, query);
        Assert.True(index.ExactFallbacks > 0);
    }

    [Fact]
    public async Task Words_first_written_by_two_processes_are_all_searchable()
    {
        var first = await NewIndexAsync(TestArticles.Make("one", "An alpaca grazed by the zebra."));
        await first.SearchFusedAsync(TestArticles.Query("alpaca"), None);
        var second = await OpenAgainAsync(first);
        await second.InitializeAsync(Embedder, None);

        await second.UpsertAsync(TestArticles.Make("two", "A yak met a zebra."), None);
        await first.UpsertAsync(TestArticles.Make("three", "The narwhal saw a yak."), None);
        await second.UpsertAsync(TestArticles.Make("four", "A narwhal and an okapi."), None);

        foreach (var index in new[] { first, second })
        {
            Assert.Equal(["one", "two"], await LexicalArticlesAsync(index, "zebra"));
            Assert.Equal(["three", "two"], await LexicalArticlesAsync(index, "yak"));
            Assert.Equal(["four", "three"], await LexicalArticlesAsync(index, "narwhal"));
            Assert.Equal(["four"], await LexicalArticlesAsync(index, "okapi"));
        }
    }

    [Fact]
    public async Task Words_of_a_failed_upsert_can_be_written_again()
    {
        var index = (SqlitePassageIndex)await NewIndexAsync(TestArticles.Make("bridge", OldVersion));
        index.AfterPassageWritten = _ => throw new IOException("injected");
        await Assert.ThrowsAsync<IOException>(() => index.UpsertAsync(TestArticles.Make("quokka", "A quokka smiled at the wombat."), None));
        index.AfterPassageWritten = null;

        await index.UpsertAsync(TestArticles.Make("marsupials", "The wombat and the quokka."), None);

        Assert.Equal(["marsupials"], await LexicalArticlesAsync(index, "quokka"));
        await index.DisposeAsync();
        var reopened = await OpenAgainAsync(index);
        await reopened.InitializeAsync(Embedder, None);
        Assert.Equal(["marsupials"], await LexicalArticlesAsync(reopened, "quokka wombat"));
    }

    private static readonly EmbedderDescriptor RandomEmbedder = new("test-random", 48);

    private static async Task<List<string>> LexicalArticlesAsync(IPassageIndex index, string query) =>
        (await index.SearchFusedAsync(TestArticles.Query(query, limit: 50), None))
            .Where(r => r.LexicalRank is not null)
            .Select(r => r.Passage.ArticleId)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static IndexedArticle[] RandomArticles(Random random, int articles, float spread) =>
        Enumerable.Range(0, articles).Select(a =>
        {
            var article = TestArticles.Make($"r{a:000}", string.Join("\n\n", Enumerable.Range(0, 10).Select(p => $"passage {a} {p}")));
            return article with { Vectors = article.Passages.Select(_ => (ReadOnlyMemory<float>)RandomUnit(random, spread)).ToList() };
        }).ToArray();

    /// <summary>A random unit vector; a small <paramref name="spread"/> puts them all close to one direction.</summary>
    private static float[] RandomUnit(Random random, float spread)
    {
        var vector = new float[RandomEmbedder.Dimensions];
        for (var i = 0; i < vector.Length; i++)
            vector[i] = (i == 0 ? 1 : 0) + (spread * (random.NextSingle() - 0.5f));
        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return vector.Select(x => x / norm).ToArray();
    }

    /// <summary>The dense ranks are those of the exact cosine, up to float32 rounding between near-equal scores.</summary>
    private static async Task AssertExactDenseRanksAsync(IPassageIndex index, IndexedArticle[] articles, float[] query)
    {
        var exact = articles
            .SelectMany(a => a.Passages.Zip(a.Vectors, (p, v) => (p.Id, Cosine: Cosine(v.Span, query))))
            .ToDictionary(x => x.Id, x => x.Cosine);
        var best = exact.Values.OrderDescending().Take(30).ToList();

        var results = await index.SearchFusedAsync(new PassageQuery("", [], query, PassageFilter.None, 30), None);

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (int?)i), results.Select(r => r.DenseRank));
        for (var i = 0; i < results.Count; i++)
            Assert.Equal(best[i], exact[results[i].Passage.Id], 1e-6);

        static double Cosine(ReadOnlySpan<float> a, float[] b)
        {
            double dot = 0, na = 0, nb = 0;
            for (var i = 0; i < a.Length; i++)
            {
                dot += (double)a[i] * b[i];
                na += (double)a[i] * a[i];
                nb += (double)b[i] * b[i];
            }
            return dot / Math.Sqrt(na * nb);
        }
    }

    private static async Task AssertHoldsOldVersionAsync(IPassageIndex index, int articles = 1)
    {
        var statistics = await index.GetStatisticsAsync(None);
        Assert.Equal(articles, statistics.Articles);
        Assert.Equal(articles + 2, statistics.Passages);
        var old = await index.SearchFusedAsync(TestArticles.Query("harbour bridge fireworks festival", limit: 20), None);
        Assert.Equal(["bridge#0", "bridge#1", "bridge#2"], old.Where(r => r.Passage.ArticleId == "bridge").Select(r => r.Passage.Id).Order());
        Assert.All(old.Where(r => r.Passage.ArticleId == "bridge"), r => Assert.Contains("harbour", r.Passage.Text, StringComparison.Ordinal));
        var @new = await index.SearchFusedAsync(TestArticles.Query("tunnel governor engineers", limit: 20), None);
        Assert.DoesNotContain(@new, r => r.LexicalRank is not null);
    }

    private static SqlitePassageIndex Open(string path) => new(new SqliteIndexOptions { Path = path });

    private SqlitePassageIndex Track(SqlitePassageIndex index)
    {
        _tracked.Add(index);
        return index;
    }
}
