using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// The readable text of HTML as paragraphs: block elements (p, h1–h6, li, blockquote, div, ...) end paragraphs, which
/// are joined by <c>"\n\n"</c>; white space inside a paragraph is collapsed; <c>br</c> is a line break; scripts,
/// styles and embedded objects are dropped.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
        "tr", "ul",
    };

    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "head", "title",
    };

    /// <summary>Text that may be HTML (a feed's description): parsed when it contains a tag, else returned as it is.</summary>
    public static string FromMarkup(string markup)
    {
        if (!markup.Contains('<', StringComparison.Ordinal))
            return markup;
        var document = new HtmlParser().ParseDocument(markup);
        return document.Body is { } body ? Extract(body) : "";
    }

    public static string Extract(INode root)
    {
        var output = new StringBuilder();
        var paragraph = new StringBuilder();
        var space = false;
        var pending = new Stack<(INode Node, bool Leaving)>();
        pending.Push((root, false));
        while (pending.TryPop(out var item))
        {
            var (node, leaving) = item;
            if (node is IElement element)
            {
                var name = element.LocalName;
                if (Blocks.Contains(name))
                {
                    EndParagraph(output, paragraph);
                    space = false;
                }
                else if (name is "td" or "th")
                {
                    space = true;
                }
                if (leaving)
                    continue;
                if (Invisible.Contains(name))
                    continue;
                if (name == "br")
                {
                    paragraph.Append('\n');
                    space = false;
                    continue;
                }
                pending.Push((node, true));
                for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
                    pending.Push((child, false));
            }
            else if (node.NodeType == NodeType.Text)
            {
                foreach (var c in node.TextContent)
                {
                    if (char.IsWhiteSpace(c))
                    {
                        space = true;
                        continue;
                    }
                    if (space && paragraph.Length > 0 && paragraph[^1] != '\n')
                        paragraph.Append(' ');
                    paragraph.Append(c);
                    space = false;
                }
            }
            else if (node.NodeType is NodeType.Document or NodeType.DocumentFragment)
            {
                for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
                    pending.Push((child, false));
            }
        }
        EndParagraph(output, paragraph);
        return output.ToString();
    }

    private static void EndParagraph(StringBuilder output, StringBuilder paragraph)
    {
        var text = paragraph.ToString().Trim();
        paragraph.Clear();
        if (text.Length == 0)
            return;
        if (output.Length > 0)
            output.Append("\n\n");
        output.Append(text);
    }
}
