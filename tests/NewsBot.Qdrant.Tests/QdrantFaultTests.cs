using System.Net;
using System.Net.Sockets;
using NewsBot.Core.Indexing;
using NewsBot.TestSupport.Qdrant;
using StatusCode = Grpc.Core.StatusCode;

namespace NewsBot.Qdrant.Tests;

public sealed class QdrantFaultTests : QdrantServerFixture
{
    protected override FakeQdrantServerOptions ServerOptions => new() { ApiKey = "secret-key" };

    private QdrantPassageIndex KeyedIndex(Action<QdrantOptions>? configure = null) => CreateIndex(o =>
    {
        o.ApiKey = "secret-key";
        configure?.Invoke(o);
    });

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Aborted)]
    [InlineData(StatusCode.DeadlineExceeded)]
    public async Task Transient_statuses_are_retried_with_backoff(StatusCode status)
    {
        await using var index = KeyedIndex();
        await InitializeAsync(index);
        Server.Fail("Upsert", status, times: 3);

        await index.UpsertAsync(TestArticles.Make("a", ["Only passage."]), CancellationToken.None);

        Assert.Equal(4, Server.CallCount("Upsert"));
        Assert.Single(Server.Collection("news")!.Points);
        Assert.Equal(3, Clock.Delays.Count);
        Assert.All(Clock.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_server_that_stays_down_fails_the_write_clearly_and_the_next_run_completes_it()
    {
        await using var index = KeyedIndex();
        await InitializeAsync(index);
        var articles = Enumerable.Range(0, 4).Select(i => TestArticles.Make($"a{i}", [$"Passage one of {i}.", $"Passage two of {i}.", $"Passage three of {i}."])).ToList();
        await index.UpsertAsync(articles[0], CancellationToken.None);
        await index.UpsertAsync(articles[1], CancellationToken.None);

        Server.Fail("Upsert", StatusCode.Unavailable, times: 100);
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.UpsertAsync(articles[2], CancellationToken.None));
        Assert.Equal($"Qdrant at {Server.Url} is not reachable (Service unavailable: the node is restarting), so NewsBot could not write passages after 4 attempts. " +
            "Start Qdrant (docker compose up -d qdrant), or set Qdrant:Url to its gRPC address (port 6334).", e.Message);
        Server.ClearFaults();

        // The next run: skip what is already there, write the rest.
        var states = await index.GetArticleStatesAsync(CancellationToken.None);
        foreach (var article in articles.Where(a => !states.TryGetValue(a.Article.Id, out var s) || s.ContentHash != a.ContentHash))
            await index.UpsertAsync(article, CancellationToken.None);

        var points = Server.Collection("news")!.Points;
        Assert.Equal(12, points.Count);
        Assert.Equal(12, points.Select(p => p.Payload["passage_id"].StringValue).Distinct().Count());
        Assert.Equal(4, (await index.GetArticleStatesAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_unreachable_url_gives_a_one_line_message_naming_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var index = new QdrantPassageIndex(new QdrantOptions { Url = $"http://127.0.0.1:{port}", MaxRetries = 1 }, Clock);

        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(TestArticles.Embedder, CancellationToken.None));

        Assert.StartsWith($"Qdrant at http://127.0.0.1:{port} is not reachable", e.Message, StringComparison.Ordinal);
        Assert.Contains("Qdrant:Url", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task A_call_that_hangs_hits_its_deadline_and_says_which_setting_bounds_it()
    {
        await using var index = KeyedIndex(o =>
        {
            o.TimeoutSeconds = 1;
            o.MaxRetries = 0;
        });
        await InitializeAsync(index);
        Server.Hang("Count");

        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.CountPassagesAsync(CancellationToken.None));

        Assert.Contains("did not answer within Qdrant:TimeoutSeconds (1 s)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_call_is_retried_after_its_deadline()
    {
        await using var index = KeyedIndex(o => o.TimeoutSeconds = 1);
        await InitializeAsync(index);
        Server.Hang("Count");

        Assert.Equal(0, await index.CountPassagesAsync(CancellationToken.None));
        Assert.Equal(2, Server.CallCount("Count"));
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_carry_qdrants_message()
    {
        await using var index = KeyedIndex();
        await InitializeAsync(index);
        await using var wrongSize = KeyedIndex();
        // Skips the local dimension check (not initialised), so the server's refusal is what the user reads.
        var article = TestArticles.Make("a", ["Only passage."], vectors: [[1, 0, 0]]);

        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => wrongSize.UpsertAsync(article, CancellationToken.None));

        Assert.Contains("Vector dimension error: expected dim: 4, got 3", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, Server.CallCount("Upsert"));
        Assert.Empty(Clock.Delays);
    }

    [Fact]
    public async Task Searching_a_missing_collection_passes_qdrants_not_found_message_on()
    {
        await using var index = KeyedIndex(o => o.Collection = "never-created");
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.SearchAsync(TestArticles.Query("storm", TestArticles.Unit(0)), CancellationToken.None));
        Assert.Contains("Collection `never-created` doesn't exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_api_key_says_which_setting_to_check_and_never_shows_the_key()
    {
        await using var index = KeyedIndex(o => o.ApiKey = "wrong-key-123");
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(TestArticles.Embedder, CancellationToken.None));
        Assert.Contains("Qdrant:ApiKey", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key-123", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, Server.CallCount("Get"));
    }

    [Fact]
    public async Task The_api_key_travels_as_api_key_metadata_on_every_call()
    {
        await using var index = KeyedIndex();
        await InitializeAsync(index);
        await index.UpsertAsync(TestArticles.Make("a", ["Only passage."]), CancellationToken.None);
        Assert.All(Server.Calls, c => Assert.Equal("secret-key", c.ApiKey));
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_an_outage()
    {
        await using var index = KeyedIndex();
        await InitializeAsync(index);
        Server.Hang("Count");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.CountPassagesAsync(cancel.Token));
    }
}
