using System.Text.Json;
using NewsBot.TestSupport;
using NewsBot.TestSupport.Web;

namespace NewsBot.Cli.Tests;

/// <summary><c>newsbot ingest &lt;url&gt;</c> and <c>--feeds</c> against a local news site; nothing reaches the internet.</summary>
public sealed class WebIngestTests : IAsyncLifetime
{
    private const string Date1 = "Tue, 01 Dec 2026 08:00:00 GMT";
    private const string Date2 = "Wed, 02 Dec 2026 09:30:00 GMT";

    private static readonly string[] BridgeText =
    [
        "The mayor of Port Ellis opened the new harbour bridge on Tuesday morning, ending eleven years of planning and three years of construction work on the waterfront.",
        "Thousands of residents walked across the bridge in the first hour, and the council said the crossing would cut the journey between the two halves of the town to five minutes.",
    ];

    private static readonly string[] FerryText =
    [
        "Ferry workers in Port Ellis ended their strike on Wednesday after the operator agreed to a pay rise of six percent and new rules on rest breaks between crossings.",
        "Services to the islands resume on Thursday, the union said, and the first boat will leave the harbour at seven in the morning with extra sailings over the weekend.",
    ];

    private readonly TempDirectory _dir = new();
    private FakeNewsSite _site = null!;

    private string Index => _dir.File("news.db");

    public async Task InitializeAsync() => _site = await FakeNewsSite.StartAsync();

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_feed_is_ingested_from_its_linked_pages_without_boilerplate_with_dates_bylines_and_canonical_urls()
    {
        PutBridgeFeed(etag: null);

        var result = await IngestAsync(_site.Url("/rss.xml"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("Feeds: 1 polled, 1 new, 0 updated, 0 unchanged, 0 failed", result.Out, StringComparison.Ordinal);
        var ask = await CliRunner.RunAsync("ask", "Who opened the harbour bridge?", "--json", "--index", Index);
        using var json = JsonDocument.Parse(ask.Out);
        var citation = json.RootElement.GetProperty("citations")[0];
        Assert.Equal("https://harbour.example/news/bridge-opens", citation.GetProperty("url").GetString());
        Assert.Equal("https://harbour.example/news/bridge-opens", citation.GetProperty("article_id").GetString());
        Assert.StartsWith("2026-12-01", citation.GetProperty("date").GetString(), StringComparison.Ordinal);
        Assert.Equal("Ann Reporter", citation.GetProperty("authors")[0].GetString());
        var search = (await CliRunner.RunAsync("search", "harbour bridge cookies subscribe related", "--k", "10", "--json", "--index", Index)).Out
            .Replace("harbour bridge cookies subscribe related", "", StringComparison.Ordinal);
        Assert.Contains("Thousands of residents", search, StringComparison.Ordinal);
        Assert.DoesNotContain("cookies", search, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Subscribe now", search, StringComparison.Ordinal);
        Assert.DoesNotContain("Ferry strike ends", search, StringComparison.Ordinal);
        Assert.DoesNotContain("analytics", search, StringComparison.Ordinal);
        Assert.All(_site.Requests, r => Assert.StartsWith("NewsBot/", r.UserAgent, StringComparison.Ordinal));
        Assert.All(_site.Requests, r => Assert.Contains("(+mailto:desk@harbour.example)", r.UserAgent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_poll_of_an_unchanged_feed_is_one_conditional_request_that_writes_nothing_and_an_added_item_is_answerable_after_the_next()
    {
        PutBridgeFeed(etag: "\"v1\"");
        Assert.Equal(0, (await IngestAsync("--feeds")).ExitCode);
        var before = File.GetLastWriteTimeUtc(Index);
        var requestsBefore = _site.Requests.Count;

        var second = await IngestAsync("--feeds");

        // A new process asks for robots.txt once per host (serve keeps it for a day); the feed itself is one conditional GET.
        var made = _site.Requests.Skip(requestsBefore).Where(r => r.Path != "/robots.txt").ToList();
        var only = Assert.Single(made);
        Assert.Equal("/rss.xml", only.Path);
        Assert.Equal("\"v1\"", only.IfNoneMatch);
        Assert.Equal(304, only.Status);
        Assert.Contains("0 new, 0 updated", second.Out, StringComparison.Ordinal);
        Assert.Equal(before, File.GetLastWriteTimeUtc(Index));
        var stats = await CliRunner.RunAsync("stats", "--json", "--index", Index, "--Feeds:Urls:0=" + _site.Url("/rss.xml"));
        using (var json = JsonDocument.Parse(stats.Out))
        {
            var feed = Assert.Single(json.RootElement.GetProperty("feeds").EnumerateArray());
            Assert.Equal(_site.Url("/rss.xml"), feed.GetProperty("url").GetString());
            Assert.Equal("unchanged", feed.GetProperty("status").GetString());
            Assert.Equal(1, feed.GetProperty("articles").GetInt32());
            Assert.NotEqual(JsonValueKind.Null, feed.GetProperty("last_poll").ValueKind);
        }

        _site.Put("/news/ferry", NewsPages.Article("Ferry strike ends", "https://harbour.example/news/ferry-strike-ends", "2026-12-02T09:30:00Z", "Bo Writer", FerryText));
        _site.Put("/rss.xml", NewsPages.Rss("The Harbour Times",
            ("Ferry strike ends", _site.Url("/news/ferry"), Date2, "Ferry workers end their strike."),
            ("Harbour bridge opens", _site.Url("/news/bridge"), Date1, "The bridge is open.")), "application/rss+xml", "\"v2\"");
        requestsBefore = _site.Requests.Count;

        var third = await IngestAsync("--feeds");

        Assert.Contains("1 new, 0 updated, 1 unchanged", third.Out, StringComparison.Ordinal);
        Assert.Equal(0, _site.Requests.Skip(requestsBefore).Count(r => r.Path == "/news/bridge"));
        var ask = await CliRunner.RunAsync("ask", "When does the ferry service resume?", "--json", "--index", Index);
        Assert.Contains("Thursday", ask.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_article_fetched_again_replaces_its_passages()
    {
        PutBridgeFeed(etag: "\"v1\"");
        Assert.Equal(0, (await IngestAsync("--feeds")).ExitCode);
        _site.Put("/news/bridge", NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens", "2026-12-01T08:00:00Z", "Ann Reporter",
            "Correction: the deputy mayor, not the mayor, opened the new harbour bridge on Tuesday morning, after eleven years of planning on the waterfront.",
            BridgeText[1]));
        _site.Put("/rss.xml", NewsPages.Rss("The Harbour Times", ("Harbour bridge opens (corrected)", _site.Url("/news/bridge"), Date1, "The bridge is open.")), "application/rss+xml", "\"v2\"");

        var result = await IngestAsync("--feeds");

        Assert.Contains("0 new, 1 updated", result.Out, StringComparison.Ordinal);
        var search = await CliRunner.RunAsync("search", "deputy mayor opened bridge", "--json", "--index", Index);
        Assert.Contains("Correction: the deputy mayor", search.Out, StringComparison.Ordinal);
        var stats = await CliRunner.RunAsync("stats", "--json", "--index", Index);
        using var json = JsonDocument.Parse(stats.Out);
        Assert.Equal(1, json.RootElement.GetProperty("articles").GetInt64());
    }

    [Theory]
    [InlineData("text/html; charset=windows-1251", "")]
    [InlineData("text/html", "<meta charset=\"windows-1251\">")]
    public async Task A_page_in_a_declared_legacy_charset_reads_right(string contentType, string meta)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var html = NewsPages.Article("Кафе Мюллер reopens", "https://harbour.example/news/cafe", "2026-12-01T08:00:00Z", "Ирина Петрова",
            "The Кафе Мюллер on the harbour front reopened on Tuesday after a year of repairs, its owner Ирина Петрова said, with the old menu and a new terrace facing the water.",
            BridgeText[1]).Replace("<meta charset=\"utf-8\">", meta, StringComparison.Ordinal);
        _site.PutBytes("/news/cafe", System.Text.Encoding.GetEncoding(1251).GetBytes(html), contentType);

        var result = await IngestAsync(_site.Url("/news/cafe"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        var search = await CliRunner.RunAsync("search", "cafe reopened terrace", "--json", "--index", Index);
        Assert.Contains("Кафе Мюллер", search.Out, StringComparison.Ordinal);
        Assert.Contains("Ирина Петрова", search.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_address_is_refused_unless_allowed()
    {
        PutBridgeFeed(etag: null);

        var refused = await CliRunner.RunAsync("ingest", _site.Url("/rss.xml"), "--index", Index, "--Feeds:HostDelay=00:00:00");

        Assert.Contains("Feeds:AllowPrivateAddresses=true", refused.Out, StringComparison.Ordinal);
        Assert.Contains("Feeds: 0 polled, 0 new", refused.Out, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Empty(_site.Requests);
    }

    [Fact]
    public async Task Robots_txt_is_honoured_for_our_agent()
    {
        _site.Put("/robots.txt", "User-agent: *\nDisallow: /\n\nUser-agent: NewsBot\nDisallow: /private/\nAllow: /\n", "text/plain");
        _site.Put("/private/memo", NewsPages.Article("Memo", "https://harbour.example/private/memo", "2026-12-01T08:00:00Z", "X", BridgeText));
        _site.Put("/news/bridge", NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens", "2026-12-01T08:00:00Z", "Ann Reporter", BridgeText));

        var result = await IngestAsync(_site.Url("/private/memo"), _site.Url("/news/bridge"));

        Assert.Contains("robots.txt", result.Out, StringComparison.Ordinal);
        Assert.Equal(0, _site.Count("/private/memo"));
        Assert.Equal(1, _site.Count("/news/bridge"));
        Assert.Equal(1, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_a_missing_page_falls_back_to_the_feeds_own_text()
    {
        var page = NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens", "2026-12-01T08:00:00Z", "Ann Reporter", BridgeText);
        _site.Put("/news/bridge", page);
        var served = _site.Handler("/news/bridge");
        _site.Statuses("/news/bridge", [500], served);
        _site.Put("/rss.xml", NewsPages.Rss("The Harbour Times",
            ("Harbour bridge opens", _site.Url("/news/bridge"), Date1, "The bridge is open."),
            ("Ferry strike ends", _site.Url("/news/gone"), Date2, string.Join(' ', FerryText))), "application/rss+xml");

        var result = await IngestAsync(_site.Url("/rss.xml"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("2 new", result.Out, StringComparison.Ordinal);
        Assert.Equal(2, _site.Count("/news/bridge"));
        Assert.Contains("/news/gone: HTTP 404", result.Out, StringComparison.Ordinal);
        Assert.Contains("indexed the feed's own text", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_urls_are_each_skipped_with_their_reason_and_the_good_one_is_still_ingested()
    {
        _site.Put("/news/bridge", NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens", "2026-12-01T08:00:00Z", "Ann Reporter", BridgeText));
        _site.Put("/image.png", "PNG", "image/png");
        _site.Put("/huge", new string('x', 4096), "text/html");
        _site.Slow("/slow", TimeSpan.FromSeconds(5), "<p>late</p>");
        _site.Put("/broken.xml", "<rss><channel><item><title>x", "application/rss+xml");
        _site.Put("/login", "<html><body><form><p>Please sign in to continue reading.</p></form></body></html>");
        _site.Redirect("/moved", "/news/bridge");
        _site.Redirect("/ftp", "ftp://harbour.example/file");

        var result = await IngestAsync(
            _site.Url("/image.png"), _site.Url("/huge"), _site.Url("/slow"), _site.Url("/broken.xml"), _site.Url("/missing"), _site.Url("/login"),
            _site.Url("/ftp"), _site.Url("/moved"), "--Feeds:MaxBytes=2048", "--Feeds:TimeoutSeconds=1");

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("content type image/png is neither a feed nor a web page", result.Out, StringComparison.Ordinal);
        Assert.Contains("larger than Feeds:MaxBytes", result.Out, StringComparison.Ordinal);
        Assert.Contains("no answer within 1 s", result.Out, StringComparison.Ordinal);
        Assert.Contains("malformed XML", result.Out, StringComparison.Ordinal);
        Assert.Contains("/missing: HTTP 404", result.Out, StringComparison.Ordinal);
        Assert.Contains("too short to be an article", result.Out, StringComparison.Ordinal);
        Assert.Contains("only http and https", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 new", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_story_through_two_feeds_is_one_article_and_a_429_is_waited_out_as_retry_after_says()
    {
        _site.Put("/news/bridge", NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens", "2026-12-01T08:00:00Z", "Ann Reporter", BridgeText));
        var page = _site.Handler("/news/bridge");
        _site.Statuses("/news/bridge", [429], page, retryAfter: "1");
        _site.Put("/local.xml", NewsPages.Rss("Local", ("Bridge opens", _site.Url("/news/bridge"), Date1, "The bridge is open.")), "application/rss+xml");
        _site.Put("/top.xml", NewsPages.Rss("Top stories", ("Harbour bridge opens at last", _site.Url("/news/bridge?utm_source=top"), Date1, "Open.")), "application/rss+xml");

        var result = await IngestAsync(_site.Url("/local.xml"), _site.Url("/top.xml"));

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("Feeds: 2 polled, 1 new", result.Out, StringComparison.Ordinal);
        Assert.Contains("skipped 0", result.Out, StringComparison.Ordinal);
        Assert.Equal(429, _site.Requests.First(r => r.Path == "/news/bridge").Status);
        var stats = await CliRunner.RunAsync("stats", "--json", "--index", Index);
        using var json = JsonDocument.Parse(stats.Out);
        Assert.Equal(1, json.RootElement.GetProperty("articles").GetInt64());
    }

    [Fact]
    public async Task Ingest_feeds_without_configured_feeds_says_where_to_list_them()
    {
        var result = await CliRunner.RunAsync("ingest", "--feeds", "--index", Index);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Feeds:Urls", result.Error, StringComparison.Ordinal);
    }

    private void PutBridgeFeed(string? etag)
    {
        _site.Put("/news/bridge", NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens?utm_source=rss#top", "2026-12-01T08:00:00Z", "Ann Reporter", BridgeText));
        _site.Put("/rss.xml", NewsPages.Rss("The Harbour Times", ("Harbour bridge opens", _site.Url("/news/bridge"), Date1, "The bridge is open.")), "application/rss+xml", etag);
    }

    private Task<CliRunner.Result> IngestAsync(params string[] args) => CliRunner.RunAsync(
        ["ingest", .. args, "--index", Index, "--Feeds:AllowPrivateAddresses=true", "--Feeds:HostDelay=00:00:00", "--Feeds:Contact=mailto:desk@harbour.example", "--Feeds:Urls:0=" + _site.Url("/rss.xml")]);
}
