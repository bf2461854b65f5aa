using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// A saved news page: metadata from Open Graph and the usual meta tags, the body from <c>&lt;article&gt;</c>, else
/// <c>&lt;main&gt;</c>, else the element holding the most paragraph text, with navigation, headers, footers, asides,
/// forms and captions taken out.
/// </summary>
internal static class HtmlArticleParser
{
    private const string NeverContent = "script, style, noscript, template, iframe, svg, canvas, object, embed";
    private const string Boilerplate = "nav, header, footer, aside, form, figcaption, button";

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

        foreach (var element in document.QuerySelectorAll(NeverContent).ToList())
            element.Remove();
        var root = ChooseBody(document);
        if (root is not null)
        {
            foreach (var element in root.QuerySelectorAll(Boilerplate).ToList())
                element.Remove();
            draft.Text = DropRepeatedTitle(HtmlText.Extract(root), draft.Title);
        }
        var article = draft.Build(file.RelativePath, file.FullPath);
        return article is null
            ? LoadResult.Skipped(file.FullPath, null, ArticleDraft.NoText)
            : LoadResult.Loaded(article, file.FullPath, draft);
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
