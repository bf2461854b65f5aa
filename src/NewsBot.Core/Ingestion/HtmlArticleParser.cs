using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// A saved news page: metadata from Open Graph and the usual meta tags; the body from SmartReader (a port of Mozilla's
/// Readability, which scores the page's blocks the way Firefox's reader view does, and handles bodies written as
/// <c>&lt;br&gt;&lt;br&gt;</c> runs), else our own choice: <c>&lt;article&gt;</c>, <c>&lt;main&gt;</c>, or the element
/// holding the most paragraph text, with navigation, headers, footers, asides, forms and captions taken out. A page
/// whose text is too short, or mostly link text (a "Trending now" box, a link list), is skipped with that reason
/// rather than indexed as an article.
/// </summary>
internal static class HtmlArticleParser
{
    private const string NeverContent = "script, style, noscript, template, iframe, svg, canvas, object, embed";
    private const string Boilerplate = "nav, header, footer, aside, form, figcaption, button";

    /// <summary>Fewer words than this is not an article (a login wall, an error page, a teaser).</summary>
    public const int MinimumWords = 20;

    /// <summary>A body in which links hold more of the text than this is a list of links, not an article.</summary>
    public const double MaximumLinkShare = 0.5;

    public static LoadResult Parse(string html, SourceFile file)
    {
        var document = new HtmlParser().ParseDocument(html);
        var draft = new ArticleDraft
        {
            Title = TextShape.FirstNonBlank(
                Meta(document, "meta[property='og:title']"),
                document.Title,
                document.QuerySelector("h1")?.TextContent),
            Source = Meta(document, "meta[property='og:site_name']"),
            Url = TextShape.FirstNonBlank(
                Meta(document, "meta[property='og:url']"),
                document.QuerySelector("link[rel='canonical']")?.GetAttribute("href")),
        };
        draft.Published = draft.ReadDate(TextShape.FirstNonBlank(
            Meta(document, "meta[property='article:published_time']"),
            Meta(document, "meta[name='date']"),
            Meta(document, "meta[itemprop='datePublished']"),
            document.QuerySelector("time[datetime]")?.GetAttribute("datetime")));
        if (Meta(document, "meta[name='author']") is { } author)
            draft.Authors.Add(author);

        var readable = Readable(html, file.FullPath);
        if (readable is { } found)
        {
            if (draft.Authors.Count == 0 && !string.IsNullOrWhiteSpace(found.Byline))
                draft.Authors.Add(found.Byline);
            draft.Published ??= found.Published;
        }

        foreach (var element in document.QuerySelectorAll(NeverContent).ToList())
            element.Remove();
        var root = readable?.Body ?? ChooseBody(document);
        if (root is not null)
        {
            foreach (var element in root.QuerySelectorAll(Boilerplate).ToList())
                element.Remove();
            var linkShare = LinkShare(root);
            draft.Text = DropRepeatedTitle(HtmlText.Extract(root), draft.Title);
            var words = Text.SentenceSplitter.CountWords(draft.Text, 0, draft.Text.Length);
            if (words > 0 && linkShare > MaximumLinkShare)
                return LoadResult.Skipped(file.FullPath, null, $"mostly links, not an article ({linkShare:P0} of its text is link text)");
            if (words is > 0 and < MinimumWords)
                return LoadResult.Skipped(file.FullPath, null, $"too short to be an article ({words} words; a login wall or a teaser?)");
        }
        var article = draft.Build(file.RelativePath, file.FullPath);
        return article is null
            ? LoadResult.Skipped(file.FullPath, null, ArticleDraft.NoText)
            : LoadResult.Loaded(article, file.FullPath, draft);
    }

    /// <summary>The page's main content as Readability finds it, or null when it finds none worth reading.</summary>
    private static (IElement Body, string? Byline, DateTimeOffset? Published)? Readable(string html, string path)
    {
        SmartReader.Article found;
        try
        {
            var reader = new SmartReader.Reader(new Uri(path).AbsoluteUri, html);
            found = reader.GetArticle();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A page Readability chokes on still gets our own extraction.
            return null;
        }
        // IsReadable is Readability's guess for the whole page (it wants 500 characters); a short story it extracted
        // is still the best body there is, so only an empty result falls back.
        if (string.IsNullOrWhiteSpace(found.Content))
            return null;
        var content = new HtmlParser().ParseDocument("<html><body>" + found.Content + "</body></html>");
        if (content.Body is not { } body || string.IsNullOrWhiteSpace(body.TextContent))
            return null;
        return (body, found.Byline ?? found.Author, found.PublicationDate is { } date ? new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc)) : null);
    }

    /// <summary>The share of the element's text that sits inside links.</summary>
    private static double LinkShare(IElement root)
    {
        var all = root.TextContent.Count(c => !char.IsWhiteSpace(c));
        if (all == 0)
            return 0;
        var linked = root.QuerySelectorAll("a").Where(a => a.ParentElement?.Closest("a") is null).Sum(a => a.TextContent.Count(c => !char.IsWhiteSpace(c)));
        return (double)linked / all;
    }

    private static IElement? ChooseBody(IHtmlDocument document)
    {
        var article = document.QuerySelectorAll("article").MaxBy(a => a.TextContent.Length);
        if (article is not null && !string.IsNullOrWhiteSpace(article.TextContent))
            return article;
        if (document.QuerySelector("main") is { } main && !string.IsNullOrWhiteSpace(main.TextContent))
            return main;
        return MostParagraphText(document) ?? document.Body;
    }

    /// <summary>The element whose own paragraphs hold the most text, paragraphs in page furniture not counted.</summary>
    private static IElement? MostParagraphText(IHtmlDocument document)
    {
        var scores = new Dictionary<IElement, int>();
        foreach (var paragraph in document.QuerySelectorAll("p"))
        {
            if (paragraph.ParentElement is not { } parent || paragraph.Closest(Boilerplate) is not null)
                continue;
            scores[parent] = scores.GetValueOrDefault(parent) + paragraph.TextContent.AsSpan().Trim().Length;
        }
        return scores.Count == 0 ? null : scores.MaxBy(s => s.Value).Key;
    }

    /// <summary>Pages often repeat the headline as the body's first heading; the title already says it.</summary>
    private static string DropRepeatedTitle(string text, string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
            return text;
        var firstBreak = text.IndexOf("\n\n", StringComparison.Ordinal);
        var first = firstBreak < 0 ? text : text[..firstBreak];
        return string.Equals(TextShape.OneLine(first), TextShape.OneLine(title), StringComparison.Ordinal) && firstBreak >= 0
            ? text[(firstBreak + 2)..]
            : text;
    }

    private static string? Meta(IDocument document, string selector) =>
        document.QuerySelector(selector)?.GetAttribute("content") is { } content && !string.IsNullOrWhiteSpace(content) ? content : null;
}
