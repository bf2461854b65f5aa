using System.Text;
using NewsBot.Core.Articles;

namespace NewsBot.Core.Ingestion;

/// <summary>One item of a fetched feed: its link and whatever the feed says of it (its text may be empty).</summary>
public sealed record FeedItem(string? Link, string? Id, string? Title, DateTimeOffset? Published, IReadOnlyList<string> Authors, string? Text, string? Source, int? Line);

/// <summary>A fetched feed read: its items, and what could not be read (a malformed tail, no items, not a feed).</summary>
public sealed record FeedDocument(IReadOnlyList<FeedItem> Items, IReadOnlyList<LoadSkip> Problems)
{
    /// <summary>True when the body is not a feed at all (nothing was read from it).</summary>
    public bool NotAFeed => Items.Count == 0 && Problems.Count > 0;
}

/// <summary>
/// Feeds and pages that were fetched over the web, read with the same parsers as files (<see cref="FeedParser"/> and
/// <see cref="HtmlArticleParser"/>, i.e. SmartReader's Readability). A fetched article's id is its canonical URL
/// (<c>link rel=canonical</c> or <c>og:url</c>, else the URL it was fetched from), so one story reached through two
/// feeds is one article. No network here: the adapter that fetches hands the bytes in.
/// </summary>
public static class WebDocuments
{
    public static FeedDocument ParseFeed(byte[] body, string feedUrl)
    {
        ArgumentNullException.ThrowIfNull(body);
        var items = new List<FeedItem>();
        var problems = new List<LoadSkip>();
        foreach (var (draft, problem, line) in FeedParser.Drafts(body, new SourceFile(feedUrl, feedUrl, feedUrl)))
        {
            if (problem?.Skip is { } skip)
            {
                problems.Add(skip);
                continue;
            }
            var link = draft!.Url is { } url && Uri.TryCreate(new Uri(feedUrl), url.Trim(), out var absolute) && IsWeb(absolute) ? absolute.AbsoluteUri : null;
            items.Add(new FeedItem(link, draft.Id, draft.Title, draft.Published, [.. draft.Authors], draft.Text, draft.Source, line));
        }
        return new FeedDocument(items, problems);
    }

    /// <summary>
    /// A fetched page as an article whose id is its canonical URL; what the page lacks (date, byline, source) comes
    /// from the feed item that linked to it, when there is one.
    /// </summary>
    public static LoadResult ParsePage(string html, Uri pageUrl, FeedItem? item = null)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        var result = HtmlArticleParser.Parse(html, new SourceFile(pageUrl.AbsoluteUri, pageUrl.AbsoluteUri, pageUrl.AbsoluteUri));
        if (result.Article is not { } article)
            return result;
        var id = CanonicalUrl(article.Url, pageUrl);
        return result with
        {
            Article = article with
            {
                Id = id,
                Url = id,
                Published = article.Published ?? item?.Published,
                Authors = article.Authors.Count > 0 ? article.Authors : item?.Authors ?? [],
                Source = article.Source ?? item?.Source ?? pageUrl.Host,
                Origin = pageUrl.AbsoluteUri,
            },
        };
    }

    /// <summary>
    /// A fetched page's bytes as an article, as <see cref="ParsePage(string, Uri, FeedItem?)"/>: decoded by its BOM,
    /// else by the charset the server named (<paramref name="charset"/>) or the page declares in
    /// <c>&lt;meta charset&gt;</c>, else as UTF-8 (Windows-1252 when it is not valid UTF-8). Binary is refused.
    /// </summary>
    public static LoadResult ParsePage(byte[] body, Uri pageUrl, FeedItem? item = null, string? charset = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(pageUrl);
        if (TextDecoder.GetUnicodeBom(body) is null && !TextDecoder.HasNulNearStart(body)
            && DeclaredEncoding(charset ?? MetaCharset(body)) is { } declared && declared.CodePage != Encoding.UTF8.CodePage)
            return ParsePage(declared.GetString(body), pageUrl, item);
        return TextDecoder.TryDecode(body, out var html, out var problem)
            ? ParsePage(html, pageUrl, item)
            : LoadResult.Skipped(pageUrl.AbsoluteUri, null, problem);
    }

    private static Encoding? DeclaredEncoding(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return Encoding.GetEncoding(name.Trim().Trim('"', '\''));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The charset a page declares in its first 1024 bytes (<c>&lt;meta charset&gt;</c> or the http-equiv form), as HTML says to look.</summary>
    private static string? MetaCharset(byte[] body)
    {
        var head = Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 1024));
        var match = System.Text.RegularExpressions.Regex.Match(head, @"<meta[^>]+charset\s*=\s*[""']?([A-Za-z0-9_\-:.]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>A feed item as an article from its own content, for when its page cannot be had.</summary>
    public static LoadResult FromItem(FeedItem item, string feedUrl, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var draft = new ArticleDraft { Title = item.Title, Text = item.Text, Source = item.Source, Published = item.Published, Url = item.Link };
        draft.Authors.AddRange(item.Authors);
        var id = item.Link is { } link && Uri.TryCreate(link, UriKind.Absolute, out var uri) ? CanonicalUrl(null, uri) : item.Id;
        draft.Id = id;
        var article = draft.Build(feedUrl + "#" + (item.Line ?? 0), feedUrl);
        if (article is null)
            return LoadResult.Skipped(item.Link ?? feedUrl, item.Line, reason is null ? "no text in the feed item" : $"{reason}, and the feed item has no text of its own");
        return LoadResult.Loaded(article, feedUrl, draft) with
        {
            Warning = reason is null ? null : $"{reason}; indexed the feed's own text for {item.Link}",
        };
    }

    /// <summary>
    /// The URL an article is known by: its canonical link resolved against the page, without the fragment and the
    /// <c>utm_*</c> tracking parameters, scheme and host in lower case; else the page's own URL the same way.
    /// </summary>
    public static string CanonicalUrl(string? canonical, Uri pageUrl)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        var chosen = canonical is { Length: > 0 } && Uri.TryCreate(pageUrl, canonical.Trim(), out var resolved) && IsWeb(resolved) ? resolved : pageUrl;
        var query = string.Join('&', chosen.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("utm_", StringComparison.OrdinalIgnoreCase)));
        var builder = new UriBuilder(chosen) { Fragment = "", Query = query };
        if (builder.Uri.IsDefaultPort)
            builder.Port = -1;
        return builder.Uri.AbsoluteUri;
    }

    private static bool IsWeb(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
