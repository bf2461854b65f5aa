using System.Net;
using System.Net.Sockets;
using NewsBot.Core.Indexing;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

public sealed class QdrantFaultTests : QdrantServerFixture
{
    [Fact]
    public async Task Transient_failures_are_retried_with_backoff()
    {
        await InitializeAsync(Index);
        Server.ClearRequests();
        Server.FailNext(2, 503);
        Server.DropNext(1);

        await Index.UpsertAsync(TestArticles.Make("a", ["Only passage."]), CancellationToken.None);

        Assert.Equal([503, 503, 0, 200, 200], Server.Requests.Select(r => r.StatusCode));
        Assert.Single(Server.Inspect("news")!.Points);
        Assert.Equal(3, Clock.Delays.Count);
        Assert.All(Clock.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Too_many_requests_waits_as_long_as_retry_after_says()
    {
        await InitializeAsync(Index);
        Server.FailNext(1, 429, retryAfter: TimeSpan.FromSeconds(7), error: "Rate limiting exceeded");

        await Index.UpsertAsync(TestArticles.Make("a", ["Only passage."]), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(Clock.Delays));
    }

    [Fact]
    public async Task A_server_that_stays_down_fails_the_write_clearly_and_the_next_run_completes_it()
    {
        await InitializeAsync(Index);
        var articles = Enumerable.Range(0, 4).Select(i => TestArticles.Make($"a{i}", [$"Passage one of {i}.", $"Passage two of {i}.", $"Passage three of {i}."])).ToList();
        await Index.UpsertAsync(articles[0], CancellationToken.None);
        await Index.UpsertAsync(articles[1], CancellationToken.None);

        Server.GoDown();
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => Index.UpsertAsync(articles[2], CancellationToken.None));
        Assert.Equal($"Qdrant at {Server.Url} kept failing: HTTP 503 on PUT /collections/news/points (after 4 attempts): Service unavailable: the fake Qdrant server is down. Check the server's health and logs.", e.Message);
        Server.Recover();

        // The next run: skip what is already there, write the rest.
        var states = await Index.GetArticleStatesAsync(CancellationToken.None);
        foreach (var article in articles.Where(a => !states.TryGetValue(a.Article.Id, out var s) || s.ContentHash != a.ContentHash))
            await Index.UpsertAsync(article, CancellationToken.None);

        var points = Server.Inspect("news")!.Points;
        Assert.Equal(12, points.Count);
        Assert.Equal(12, points.Select(p => p.Payload["passage_id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(4, (await Index.GetArticleStatesAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Dropped_connections_that_never_recover_say_qdrant_cannot_be_reached()
    {
        await InitializeAsync(Index);
        Server.GoDown(dropConnections: true);
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => SearchAsync("storm", TestArticles.Unit(0)));
        Assert.StartsWith($"Cannot reach Qdrant at {Server.Url}: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(after 4 attempts). Is it running? Set Qdrant:Url.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_url_gives_a_one_line_message_naming_it()
    {
        var port = FreePort();
        await using var index = new QdrantPassageIndex(new QdrantOptions { Url = $"http://127.0.0.1:{port}", MaxRetries = 2 }, timeProvider: Clock);

        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(TestArticles.Embedder, CancellationToken.None));

        Assert.StartsWith($"Cannot reach Qdrant at http://127.0.0.1:{port}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Is it running? Set Qdrant:Url.", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(2, Clock.Delays.Count);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        await using var index = CreateIndex(o => o.TimeoutSeconds = 1);
        Server.DelayNext(1, TimeSpan.FromSeconds(10));

        await InitializeAsync(index);

        Assert.NotNull(Server.Inspect("news"));
        Assert.Single(Clock.Delays);
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_carry_qdrants_message()
    {
        await InitializeAsync(Index);
        Server.ClearRequests();
        Server.FailNext(1, 400, error: "Wrong input: Vector dimension error: expected dim: 4, got 3");

        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => Index.UpsertAsync(TestArticles.Make("a", ["One.", "Two."]), CancellationToken.None));

        Assert.Equal("Qdrant refused PUT /collections/news/points (HTTP 400): Wrong input: Vector dimension error: expected dim: 4, got 3", e.Message);
        Assert.Single(Server.Requests);
        Assert.Empty(Clock.Delays);
    }

    [Fact]
    public async Task Searching_a_missing_collection_passes_qdrants_404_message_on()
    {
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => SearchAsync("storm", TestArticles.Unit(0)));
        Assert.Equal("Qdrant refused POST /collections/news/points/query (HTTP 404): Not found: Collection `news` doesn't exist!", e.Message);
    }

    [Fact]
    public async Task A_wrong_api_key_says_which_setting_to_check_and_never_shows_the_key()
    {
        await using var server = await FakeQdrantServer.StartAsync(new FakeQdrantServerOptions { ApiKey = "right-key" });
        await using var wrong = new QdrantPassageIndex(new QdrantOptions { Url = server.Url, ApiKey = "wrong-key" }, timeProvider: Clock);

        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => wrong.InitializeAsync(TestArticles.Embedder, CancellationToken.None));

        Assert.StartsWith("Qdrant rejected the API key: check Qdrant:ApiKey", e.Message, StringComparison.Ordinal);
        Assert.Contains(server.Url, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);

        await using var right = new QdrantPassageIndex(new QdrantOptions { Url = server.Url, ApiKey = "right-key" }, timeProvider: Clock);
        await right.InitializeAsync(TestArticles.Embedder, CancellationToken.None);
        Assert.All(server.Requests.Skip(1), r => Assert.Equal("right-key", r.Headers["api-key"]));
    }

    [Fact]
    public async Task A_server_that_is_not_qdrant_is_named_as_such()
    {
        using var handler = new HtmlHandler();
        await using var index = new QdrantPassageIndex(new QdrantOptions { Url = "http://localhost:8080" }, handler, Clock);
        var e = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.InitializeAsync(TestArticles.Embedder, CancellationToken.None));
        Assert.Equal(
            "Qdrant at http://localhost:8080 answered GET /collections/newsbot with something that is not Qdrant's JSON (\"<html><body>Welcome</body></html>\"). Does Qdrant:Url point at Qdrant's REST port (6333)?",
            e.Message);
    }

    [Fact]
    public async Task Cancellation_is_not_mistaken_for_an_outage()
    {
        await InitializeAsync(Index);
        Server.DelayNext(1, TimeSpan.FromSeconds(10));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Index.SearchAsync(TestArticles.Query("storm", TestArticles.Unit(0)), cancel.Token));
        Assert.Empty(Clock.Delays);
    }

    /// <summary>Answers every request like a web server that is not Qdrant.</summary>
    private sealed class HtmlHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html><body>Welcome</body></html>", System.Text.Encoding.UTF8, "text/html") });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
