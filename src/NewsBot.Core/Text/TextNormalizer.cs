using System.Text;

namespace NewsBot.Core.Text;

/// <summary>
/// Brings text from any loader to one form: Unicode NFC, line endings as <c>\n</c>, non-breaking and other odd spaces
/// folded to a plain space, zero-width characters and control characters removed. Typographic quotes are kept in the
/// text (citations quote articles exactly); <see cref="FoldForMatching"/> folds them for comparison and search.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsPlain(text))
            return text;
        var s = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\r':
                    builder.Append('\n');
                    if (i + 1 < s.Length && s[i + 1] == '\n')
                        i++;
                    break;
                case '\t':
                    builder.Append(' ');
                    break;
                case '\u00A0' or '\u1680' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000':
                    builder.Append(' ');
                    break;
                case '\u2028' or '\u2029' or '\u0085':
                    builder.Append('\n');
                    break;
                case '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD':
                    break;
                default:
                    if (char.IsControl(c) && c != '\n')
                        break;
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Printable ASCII with \n line ends needs no work: the common case, checked with a vectorised scan.</summary>
    private static bool IsPlain(string text)
    {
        var span = text.AsSpan();
        return !span.ContainsAnyExceptInRange((char)0x20, (char)0x7E) || PlainWithNewlines(span);
    }

    private static bool PlainWithNewlines(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is not ('\n' or (>= (char)0x20 and <= (char)0x7E)))
                return false;
        }
        return true;
    }

    /// <summary>Folds typographic quotes, apostrophes and dashes to their ASCII forms, for comparisons only.</summary>
    public static string FoldForMatching(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = FoldChar(source[i]);
        });
    }

    public static char FoldChar(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u02BC' or '\u0060' or '\u00B4' => '\'',
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => '"',
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
        _ => c,
    };
}
