using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Markdown rendered to the plain text a reader sees, before chunking: emphasis, quote markers, heading marks, list
/// bullets, links and HTML are gone, images too; each block is a paragraph (blank line between), soft line breaks
/// become spaces. Passages and quotes are then exact against this text. Markdig parses (CommonMark, with pipe tables);
/// the walk over its syntax tree is ours because Markdig's own plain-text output keeps no paragraph breaks, which the
/// chunker needs.
/// </summary>
internal static class MarkdownText
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static string ToPlain(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var paragraphs = new List<string>();
        foreach (var block in document)
            AddBlock(block, paragraphs);
        return string.Join("\n\n", paragraphs.Where(p => p.Length > 0));
    }

    /// <summary>One line of Markdown (a title) as plain text.</summary>
    public static string InlineToPlain(string markdown) => string.Join(" ", ToPlain(markdown).Split("\n\n")).Trim();

    private static void AddBlock(Block block, List<string> paragraphs)
    {
        switch (block)
        {
            case LeafBlock { Inline: { } inline } leaf when leaf is ParagraphBlock or HeadingBlock:
                paragraphs.Add(Collapse(Inlines(inline)));
                break;
            case FencedCodeBlock or CodeBlock:
                paragraphs.Add(((LeafBlock)block).Lines.ToString().TrimEnd());
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                    paragraphs.Add(string.Join(" | ", row.OfType<TableCell>().Select(c => Collapse(string.Join(" ", c.OfType<ParagraphBlock>().Select(p => p.Inline is null ? "" : Inlines(p.Inline)))))));
                break;
            case ContainerBlock container:
                // Quotes, lists and list items: their blocks are the paragraphs.
                foreach (var child in container)
                    AddBlock(child, paragraphs);
                break;
                // Thematic breaks, HTML blocks and link reference definitions carry no article text.
        }
    }

    private static string Inlines(ContainerInline container)
    {
        var builder = new StringBuilder();
        foreach (var inline in container)
            AddInline(inline, builder);
        return builder.ToString();
    }

    private static void AddInline(Inline inline, StringBuilder builder)
    {
        switch (inline)
        {
            case LiteralInline literal:
                builder.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                builder.Append(code.Content);
                break;
            case LinkInline { IsImage: true }:
                break;
            case AutolinkInline autolink:
                builder.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                builder.Append(entity.Transcoded.ToString());
                break;
            case LineBreakInline:
                builder.Append(' ');
                break;
            case HtmlInline:
                break;
            case ContainerInline container:
                // Emphasis and links: their text.
                foreach (var child in container)
                    AddInline(child, builder);
                break;
        }
    }

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
