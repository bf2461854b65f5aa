using System.Text;

namespace NewsBot.Core.Ingestion;

/// <summary>The shapes every loader gives text: bodies as paragraphs, titles and names on one line.</summary>
internal static class TextShape
{
    public const int MaxDerivedTitleLength = 120;

    /// <summary>
    /// The text trimmed, trailing spaces cut from every line, runs of blank lines folded to one (paragraphs end up
    /// separated by <c>"\n\n"</c>). Expects text already through <c>TextNormalizer</c> (<c>\n</c> only).
    /// </summary>
    public static string Paragraphs(string text)
    {
        if (IsTidy(text))
            return text;
        var rest = text.AsSpan().Trim();
        var builder = new StringBuilder(rest.Length);
        var pendingBreaks = 0;
        while (true)
        {
            var end = rest.IndexOf('\n');
            var line = (end < 0 ? rest : rest[..end]).TrimEnd();
            if (line.IsEmpty)
            {
                if (pendingBreaks == 1)
                    pendingBreaks = 2;
            }
            else
            {
                if (builder.Length > 0)
                    builder.Append('\n', pendingBreaks);
                builder.Append(line);
                pendingBreaks = 1;
            }
            if (end < 0)
                break;
            rest = rest[(end + 1)..];
        }
        return builder.ToString();
    }

    /// <summary>
    /// Whether <see cref="Paragraphs"/> would change nothing: most records arrive tidy, and a vectorised scan is much
    /// cheaper than a copy. After normalisation the only white space left is ' ' and '\n'.
    /// </summary>
    private static bool IsTidy(string text) =>
        text.Length > 0
        && text[0] is not (' ' or '\n') && text[^1] is not (' ' or '\n')
        && !text.Contains(" \n", StringComparison.Ordinal)
        && !text.Contains("\n\n\n", StringComparison.Ordinal);

    /// <summary>Every run of white space (line breaks included) as one space, and none at either end.</summary>
    public static string OneLine(string text)
    {
        var span = text.AsSpan().Trim();
        var builder = new StringBuilder(span.Length);
        var space = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
                builder.Append(' ');
            builder.Append(c);
            space = false;
        }
        return builder.Length == span.Length && span.Length == text.Length ? text : builder.ToString();
    }

    /// <summary>A stand-in title for an article without one: its first sentence (or line), cut to 120 characters at a word.</summary>
    public static string TitleFromText(string text)
    {
        var span = text.AsSpan().TrimStart();
        var lineEnd = span.IndexOf('\n');
        if (lineEnd >= 0)
            span = span[..lineEnd];
        for (var i = 0; i + 1 < span.Length; i++)
        {
            if (span[i] is '.' or '?' or '!' && span[i + 1] == ' ')
            {
                span = span[..(i + 1)];
                break;
            }
        }
        span = span.Trim();
        if (span.Length <= MaxDerivedTitleLength)
            return span.ToString();
        var cut = span[..(MaxDerivedTitleLength - 1)];
        var lastSpace = cut.LastIndexOf(' ');
        if (lastSpace > MaxDerivedTitleLength / 2)
            cut = cut[..lastSpace];
        return string.Concat(cut.TrimEnd(), "…");
    }

    public static string? FirstNonBlank(params ReadOnlySpan<string?> values)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
                return value;
        }
        return null;
    }
}
