using System.Text;
using NewsBot.Core.Answering;
using NewsBot.Core.Text;

namespace NewsBot.Core.Retrieval;

/// <summary>
/// Makes <see cref="SearchHit"/>s: which of the query's terms a passage holds, its best-matching sentence as a
/// snippet, and where in the snippet the query's words are, all by the same <see cref="SearchTokenizer"/> the index
/// matches with (so "ships" in a passage is marked for the query "ship").
/// </summary>
public static class SearchSnippets
{
    public const int DefaultLength = 300;

    public static SearchHit For(RetrievedPassage passage, IReadOnlyCollection<string> queryTerms, int maxLength = DefaultLength)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(queryTerms);
        var terms = new HashSet<string>(queryTerms, StringComparer.Ordinal);
        var held = new HashSet<string>(SearchTokenizer.Tokenize(passage.Passage.SearchText), StringComparer.Ordinal);
        var matched = terms.Where(held.Contains).Order(StringComparer.Ordinal).ToList();
        var coverage = terms.Count == 0 ? 0 : (double)matched.Count / terms.Count;

        var text = passage.Passage.Text;
        var sentences = SentenceSplitter.Split(text);
        if (sentences.Count == 0)
            sentences = [new SentenceSpan(0, text.Length, true)];
        var best = 0;
        var bestScore = -1;
        for (var i = 0; i < sentences.Count; i++)
        {
            var score = SearchTokenizer.Tokenize(text[sentences[i].Start..sentences[i].End]).Where(terms.Contains).Distinct(StringComparer.Ordinal).Count();
            if (score > bestScore)
                (best, bestScore) = (i, score);
        }

        // The best sentence, then its neighbours (after first, as a reader reads on) while they fit.
        var (first, last) = (best, best);
        while (true)
        {
            var grown = false;
            if (last + 1 < sentences.Count && sentences[last + 1].End - sentences[first].Start <= maxLength)
                (last, grown) = (last + 1, true);
            else if (first > 0 && sentences[last].End - sentences[first - 1].Start <= maxLength)
                (first, grown) = (first - 1, true);
            if (!grown)
                break;
        }
        var start = sentences[first].Start;
        var end = sentences[last].End;
        var prefix = start > 0 ? "… " : "";
        var suffix = end < text.Length ? " …" : "";
        if (end - start > maxLength)
        {
            // One sentence longer than the snippet: a window around its first matched word.
            var anchor = FirstMatch(text, start, end, terms) ?? start;
            var from = Math.Max(start, Math.Min(anchor - (maxLength / 3), end - maxLength));
            from = WordStart(text, from, start);
            (start, end) = (from, Math.Min(end, from + maxLength));
            end = WordEnd(text, end, sentences[last].End);
            prefix = start > 0 ? "… " : "";
            suffix = end < text.Length ? " …" : "";
        }
        var body = text[start..end].ReplaceLineEndings(" ");
        var snippet = prefix + body + suffix;
        return new SearchHit(passage, snippet, Highlight(snippet, terms), matched, coverage);
    }

    /// <summary>The word spans of <paramref name="text"/> whose search token is one of <paramref name="terms"/>.</summary>
    public static List<(int Start, int Length)> Highlight(string text, IReadOnlySet<string> terms)
    {
        var spans = new List<(int Start, int Length)>();
        foreach (var (start, length) in Words(text))
        {
            var tokens = SearchTokenizer.Tokenize(text.Substring(start, length));
            if (tokens.Count > 0 && tokens.Any(terms.Contains))
                spans.Add((start, length));
        }
        return spans;
    }

    private static int? FirstMatch(string text, int start, int end, IReadOnlySet<string> terms)
    {
        foreach (var (s, length) in Words(text[start..end]))
        {
            if (SearchTokenizer.Tokenize(text.Substring(start + s, length)).Any(terms.Contains))
                return start + s;
        }
        return null;
    }

    /// <summary>Runs of letters and digits, with apostrophes and ampersands inside a word (as the tokenizer joins them).</summary>
    private static IEnumerable<(int Start, int Length)> Words(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i])
                || (text[i] is '\'' or '\u2019' or '&' && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))))
                i++;
            yield return (start, i - start);
        }
    }

    private static int WordStart(string text, int at, int floor)
    {
        while (at > floor && char.IsLetterOrDigit(text[at - 1]))
            at--;
        return at;
    }

    private static int WordEnd(string text, int at, int ceiling)
    {
        while (at < ceiling && at < text.Length && char.IsLetterOrDigit(text[at]))
            at++;
        return at;
    }

    /// <summary>The snippet with each highlight wrapped in <paramref name="open"/> and <paramref name="close"/>.</summary>
    public static string Mark(SearchHit hit, string open, string close, Func<string, string>? escape = null)
    {
        ArgumentNullException.ThrowIfNull(hit);
        escape ??= static s => s;
        var builder = new StringBuilder();
        var at = 0;
        foreach (var (start, length) in hit.Highlights)
        {
            builder.Append(escape(hit.Snippet[at..start])).Append(open).Append(escape(hit.Snippet.Substring(start, length))).Append(close);
            at = start + length;
        }
        return builder.Append(escape(hit.Snippet[at..])).ToString();
    }
}
