using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NewsBot.Core.Ingestion;

namespace NewsBot.Web;

/// <summary>One poll or one <c>ingest &lt;url&gt;</c>: what was fetched, what changed, and what was skipped and why.</summary>
public sealed record WebIngestReport
{
    public int Feeds { get; init; }

    public int Pages { get; init; }

    /// <summary>Feeds whose conditional GET answered 304, or whose items were all seen before.</summary>
    public int FeedsUnchanged { get; init; }

    public int Failed { get; init; }

    public required IngestionReport Ingest { get; init; }

    /// <summary>Every URL skipped with its reason (a feed, an item, a page), and the feed-text fallbacks.</summary>
    public IReadOnlyList<LoadSkip> Skipped { get; init; } = [];

    public string Summary => $"Feeds: {Feeds} polled, {Ingest.Added} new, {Ingest.Updated} updated, {Ingest.Unchanged + UnchangedItems} unchanged, {Failed} failed"
        + (Pages > 0 ? $"; pages: {Pages}" : "") + $" ({Ingest.Elapsed.TotalSeconds:0.0} s)";

    /// <summary>Items not fetched again because the feed said the same of them as last time.</summary>
    public int UnchangedItems { get; init; }
}

/// <summary>
/// Ingests feed and page URLs. A feed's items each become an article from the linked page (read like an HTML file)
/// or, when the page can't be had, from the item's own text; an item the feed describes as it did last poll is not
/// fetched again, and an unchanged feed costs one conditional GET. A failing URL never stops the others.
/// </summary>
public sealed partial class WebIngestor(WebFetcher fetcher, IngestionPipeline pipeline, FeedStateStore states, FeedsOptions options, TimeProvider time, ILogger<WebIngestor> logger)
{
    /// <summary>Fetches each URL (a feed or a page; which one is told by the answer) and ingests what it holds.</summary>
    public async Task<WebIngestReport> IngestAsync(IReadOnlyList<string> urls, CancellationToken cancellationToken)
    {
        var known = await states.LoadAsync(cancellationToken);
        var results = new List<LoadResult>();
        // One story linked from two feeds (or twice from one) is one article: the later sightings are not news.
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var skipped = new List<LoadSkip>();
        var perFeed = new Dictionary<string, (FeedState State, List<string> Ids)>(StringComparer.Ordinal);
        int feeds = 0, pages = 0, failed = 0, unchangedFeeds = 0, unchangedItems = 0;
        foreach (var raw in urls.Select(u => u.Trim()).Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var url))
            {
                skipped.Add(new LoadSkip(raw, null, "not a URL"));
                failed++;
                continue;
            }
            known.TryGetValue(url.AbsoluteUri, out var last);
            WebResponse response;
            try
            {
                response = await fetcher.GetAsync(url, last?.ETag, last?.LastModified, cancellationToken);
            }
            catch (WebFetchException e)
            {
                skipped.Add(new LoadSkip(url.AbsoluteUri, null, e.Message));
                failed++;
                if (last is not null || options.FeedUrls.Contains(raw))
                    known[url.AbsoluteUri] = (last ?? new FeedState()) with { LastPoll = time.GetUtcNow(), Status = e.Message };
                continue;
            }
            if (response.NotModified)
            {
                feeds++;
                unchangedFeeds++;
                known[url.AbsoluteUri] = last! with { LastPoll = time.GetUtcNow(), Status = "unchanged" };
                continue;
            }
            if (!IsFeed(response))
            {
                pages++;
                var page = WebDocuments.ParsePage(response.Body, response.Url, charset: response.Charset);
                if (page.Article is null || seenIds.Add(page.Article.Id))
                    results.Add(page);
                continue;
            }
            feeds++;
            var document = WebDocuments.ParseFeed(response.Body, url.AbsoluteUri);
            skipped.AddRange(document.Problems);
            if (document.NotAFeed)
            {
                failed++;
                known[url.AbsoluteUri] = (last ?? new FeedState()) with { LastPoll = time.GetUtcNow(), Status = document.Problems[0].Reason };
                continue;
            }
            var items = new Dictionary<string, string>(StringComparer.Ordinal);
            var ids = new List<string>();
            var newItems = 0;
            foreach (var item in document.Items.Take(options.MaxItemsPerFeed))
            {
                var fingerprint = Fingerprint(item);
                var key = item.Link ?? item.Id ?? fingerprint;
                items[key] = fingerprint;
                if (last?.Items.TryGetValue(key, out var seen) == true && seen == fingerprint)
                {
                    unchangedItems++;
                    continue;
                }
                var result = await ItemAsync(item, url.AbsoluteUri, cancellationToken);
                if (result.Article is { } seenBefore && !seenIds.Add(seenBefore.Id))
                    continue;
                if (result.Article is { } article)
                {
                    ids.Add(article.Id);
                    if (last?.Items.ContainsKey(key) != true)
                        newItems++;
                }
                else
                    items.Remove(key); // tried again next poll
                results.Add(result);
            }
            if (ids.Count == 0 && document.Items.Count > 0 && items.Count == unchangedItems)
                unchangedFeeds++;
            perFeed[url.AbsoluteUri] = (new FeedState
            {
                ETag = response.ETag,
                LastModified = response.LastModified,
                LastPoll = time.GetUtcNow(),
                Status = document.Problems.Count > 0 ? "ok, " + document.Problems[0].Reason : "ok",
                Articles = (last?.Articles ?? 0) + newItems,
                Items = items,
            }, ids);
        }

        var report = await pipeline.IngestAsync(results, cancellationToken);
        foreach (var (feed, (state, _)) in perFeed)
            known[feed] = state;
        try
        {
            await states.SaveAsync(known, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Losing the validators costs a full fetch next time, never an article.
            LogStateNotSaved(logger, states.Location, e.Message);
        }
        return new WebIngestReport
        {
            Feeds = feeds,
            Pages = pages,
            FeedsUnchanged = unchangedFeeds,
            Failed = failed,
            Ingest = report,
            Skipped = [.. skipped, .. report.Skipped],
            UnchangedItems = unchangedItems,
        };
    }

    /// <summary>The item's page, read as an article; its own text when the page can't be had or isn't an article.</summary>
    private async Task<LoadResult> ItemAsync(FeedItem item, string feedUrl, CancellationToken cancellationToken)
    {
        if (item.Link is not { } link)
            return WebDocuments.FromItem(item, feedUrl, "the item has no link");
        try
        {
            var response = await fetcher.GetAsync(new Uri(link), null, null, cancellationToken);
            if (IsFeed(response))
                return WebDocuments.FromItem(item, feedUrl, $"{link} is a feed, not an article page");
            var page = WebDocuments.ParsePage(response.Body, response.Url, item, response.Charset);
            return page.Article is not null ? page : WebDocuments.FromItem(item, feedUrl, $"{link}: {page.Skip!.Reason}") is { Article: not null } fallback ? fallback : page;
        }
        catch (WebFetchException e)
        {
            return WebDocuments.FromItem(item, feedUrl, $"{link}: {e.Message}");
        }
    }

    private static bool IsFeed(WebResponse response)
    {
        if (response.MediaType is { } type && type.Contains("html", StringComparison.Ordinal))
            return false;
        if (response.MediaType is { } xml && xml.Contains("xml", StringComparison.Ordinal))
            return true;
        var head = Encoding.UTF8.GetString(response.Body, 0, Math.Min(response.Body.Length, 512)).TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        return head.StartsWith("<?xml", StringComparison.Ordinal) || head.StartsWith("<rss", StringComparison.Ordinal) || head.StartsWith("<feed", StringComparison.Ordinal);
    }

    private static string Fingerprint(FeedItem item) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\u001f', item.Link, item.Title, item.Published?.ToUnixTimeSeconds(), item.Text))))[..16];

    [LoggerMessage(Level = LogLevel.Warning, Message = "The feed state file {Path} could not be saved ({Reason}); the next poll fetches every feed in full")]
    private static partial void LogStateNotSaved(ILogger logger, string path, string reason);
}
