using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// RSS (2.0, and 1.0/RDF) and Atom feeds: one article per item or entry, the channel or feed title as source. Read
/// with a streaming <see cref="XmlReader"/> that refuses DTDs (no external entities, no entity expansion), one item at
/// a time, so a feed that breaks half way keeps the items before the break.
/// </summary>
internal sealed class FeedParser
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";
    private const string RdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private const string ContentNamespace = "http://purl.org/rss/1.0/modules/content/";
    private const string DublinCoreNamespace = "http://purl.org/dc/elements/1.1/";

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private static readonly Lazy<bool> CodePages = new(static () =>
    {
        // Feeds declare their encoding (often windows-1252 or iso-8859-x); .NET knows only the Unicode ones without this.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    });

    private readonly XmlReader reader;
    private readonly SourceFile file;
    private bool atom;
    private string? topLevel;

    private FeedParser(XmlReader reader, SourceFile file)
    {
        this.reader = reader;
        this.file = file;
    }

    public static IEnumerable<LoadResult> Parse(byte[] bytes, SourceFile file)
    {
        if (TextDecoder.Sniff(bytes) is { } problem)
            return [LoadResult.Skipped(file.FullPath, null, problem)];
        _ = CodePages.Value;
        return new FeedParser(XmlReader.Create(new MemoryStream(bytes, writable: false), Settings), file).Read();
    }

    /// <summary>Each item's fields as the feed gives them (text may be empty), or the problem that stopped the read.</summary>
    public static IEnumerable<(ArticleDraft? Draft, LoadResult? Problem, int? Line)> Drafts(byte[] bytes, SourceFile file)
    {
        if (TextDecoder.Sniff(bytes) is { } problem)
            return [(null, LoadResult.Skipped(file.FullPath, null, problem), null)];
        _ = CodePages.Value;
        return new FeedParser(XmlReader.Create(new MemoryStream(bytes, writable: false), Settings), file).Items();
    }

    private IEnumerable<LoadResult> Read()
    {
        var number = 0;
        foreach (var (draft, problem, line) in Items())
        {
            if (problem is not null)
            {
                yield return problem;
                continue;
            }
            number++;
            var article = draft!.Build($"{file.RelativePath}#{number}", file.FullPath);
            yield return article is null
                ? LoadResult.Skipped(file.FullPath, line, ArticleDraft.NoText)
                : LoadResult.Loaded(article, file.FullPath, draft);
        }
    }

    private IEnumerable<(ArticleDraft? Draft, LoadResult? Problem, int? Line)> Items()
    {
        using var _ = reader;
        if (ReadRoot() is { } notFeed)
        {
            yield return (null, notFeed, null);
            yield break;
        }
        string? source = null;
        var number = 0;
        while (true)
        {
            var (step, element, line, error) = Next();
            if (step == Step.End)
                break;
            if (step == Step.Error)
            {
                yield return (null, LoadResult.Skipped(file.FullPath, line, "malformed XML: " + error), line);
                yield break;
            }
            if (step == Step.FeedTitle)
            {
                source ??= TextOf(element!, html: atom && IsHtmlType(element!));
                continue;
            }
            number++;
            var draft = atom ? ReadEntry(element!) : ReadItem(element!);
            draft.Source = source;
            yield return (draft, null, line);
        }
        if (number == 0)
            yield return (null, LoadResult.Skipped(file.FullPath, null, "a feed with no items"), null);
    }

    private LoadResult? ReadRoot()
    {
        try
        {
            reader.MoveToContent();
        }
        catch (XmlException e)
        {
            return LoadResult.Skipped(file.FullPath, e.LineNumber > 0 ? e.LineNumber : null, "malformed XML: " + e.Message);
        }
        if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "feed" && reader.NamespaceURI == AtomNamespace)
            atom = true;
        else if (reader.NodeType == XmlNodeType.Element && (reader.LocalName == "rss" || (reader.LocalName == "RDF" && reader.NamespaceURI == RdfNamespace)))
            atom = false;
        else
            return LoadResult.Skipped(file.FullPath, null, $"not an RSS or Atom feed (root element <{reader.Name}>)");
        return null;
    }

    private enum Step
    {
        Item,
        FeedTitle,
        End,
        Error,
    }

    /// <summary>Reads on to the next item or feed title; an XML error comes back as a step, not an exception.</summary>
    private (Step Step, XElement? Element, int? Line, string? Error) Next()
    {
        var lineInfo = (IXmlLineInfo)reader;
        try
        {
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    var line = lineInfo.HasLineInfo() ? lineInfo.LineNumber : (int?)null;
                    if (reader.Depth == 1)
                        topLevel = reader.LocalName;
                    if (atom ? reader.LocalName == "entry" && reader.NamespaceURI == AtomNamespace : reader.LocalName == "item")
                        return (Step.Item, (XElement)XNode.ReadFrom(reader), line, null);
                    if (reader.LocalName == "title" && IsFeedTitle())
                        return (Step.FeedTitle, (XElement)XNode.ReadFrom(reader), line, null);
                }
                reader.Read();
            }
            return (Step.End, null, null, null);
        }
        catch (XmlException e)
        {
            return (Step.Error, null, e.LineNumber > 0 ? e.LineNumber : null, e.Message);
        }
    }

    private bool IsFeedTitle() => atom
        ? reader.Depth == 1 && reader.NamespaceURI == AtomNamespace
        : reader.Depth == 2 && topLevel == "channel";

    private static ArticleDraft ReadItem(XElement item)
    {
        var draft = new ArticleDraft();
        string? link = null, guid = null, content = null, description = null;
        DateTimeOffset? pubDate = null, dcDate = null;
        foreach (var child in item.Elements())
        {
            var ns = child.Name.NamespaceName;
            switch (child.Name.LocalName)
            {
                case "title" when ns != DublinCoreNamespace:
                    draft.Title = TextOf(child, html: null);
                    break;
                case "link":
                    link ??= TextShape.FirstNonBlank(child.Value, (string?)child.Attribute("href"));
                    break;
                case "guid":
                    guid = child.Value;
                    break;
                case "pubDate":
                    pubDate = draft.ReadDate(child.Value);
                    break;
                case "date" when ns == DublinCoreNamespace:
                    dcDate = draft.ReadDate(child.Value);
                    break;
                case "author":
                    draft.Authors.Add(RssAuthor(child.Value));
                    break;
                case "creator" when ns == DublinCoreNamespace:
                    draft.Authors.Add(child.Value);
                    break;
                case "encoded" when ns == ContentNamespace:
                    content = TextOf(child, html: true);
                    break;
                case "description":
                    description = TextOf(child, html: null);
                    break;
            }
        }
        draft.Id = TextShape.FirstNonBlank(guid, link);
        draft.Url = link;
        draft.Published = pubDate ?? dcDate;
        draft.Text = TextShape.FirstNonBlank(content, description);
        return draft;
    }

    private static ArticleDraft ReadEntry(XElement entry)
    {
        var draft = new ArticleDraft();
        string? id = null, link = null, content = null, summary = null;
        DateTimeOffset? published = null, updated = null;
        foreach (var child in entry.Elements())
        {
            if (child.Name.NamespaceName != AtomNamespace)
                continue;
            switch (child.Name.LocalName)
            {
                case "title":
                    draft.Title = TextOf(child, IsHtmlType(child));
                    break;
                case "id":
                    id = child.Value;
                    break;
                case "link" when ((string?)child.Attribute("rel") ?? "alternate") == "alternate":
                    link ??= (string?)child.Attribute("href");
                    break;
                case "published":
                    published = draft.ReadDate(child.Value);
                    break;
                case "updated":
                    updated = draft.ReadDate(child.Value);
                    break;
                case "author":
                    if (child.Element(XName.Get("name", AtomNamespace))?.Value is { } name)
                        draft.Authors.Add(name);
                    break;
                case "content":
                    content = TextOf(child, IsHtmlType(child));
                    break;
                case "summary":
                    summary = TextOf(child, IsHtmlType(child));
                    break;
            }
        }
        draft.Id = TextShape.FirstNonBlank(id, link);
        draft.Url = link;
        draft.Published = published ?? updated;
        draft.Text = TextShape.FirstNonBlank(content, summary);
        return draft;
    }

    /// <summary>Atom says whether text is HTML (<c>type="html"</c> or <c>"xhtml"</c>); RSS does not, so null means look.</summary>
    private static bool IsHtmlType(XElement element) => (string?)element.Attribute("type") is "html" or "xhtml" or "text/html";

    private static string TextOf(XElement element, bool? html)
    {
        if ((string?)element.Attribute("type") == "xhtml")
            return HtmlText.FromMarkup(string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting))));
        var value = element.Value;
        return html == false ? value : HtmlText.FromMarkup(value);
    }

    /// <summary>RSS wants an e-mail address in <c>author</c>, usually written <c>jo@example.com (Jo Doe)</c>: keep the name.</summary>
    private static string RssAuthor(string value)
    {
        var open = value.IndexOf('(', StringComparison.Ordinal);
        var close = value.LastIndexOf(')');
        return value.Contains('@', StringComparison.Ordinal) && open >= 0 && close > open ? value[(open + 1)..close] : value;
    }
}
