namespace NewsBot.Core.Text;

/// <summary>A sentence as a span of the text it was found in; <see cref="EndsParagraph"/> when a blank line or a line break follows.</summary>
public readonly record struct SentenceSpan(int Start, int End, bool EndsParagraph)
{
    public int Length => End - Start;
}

/// <summary>
/// Rule-based sentence boundaries for news prose: a sentence ends at . ! or ? (after any closing quotes or brackets)
/// followed by white space and a capital, digit or quote, unless the word before is a known abbreviation or an initial;
/// a line break always ends a sentence (headlines, datelines, captions).
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cmdr",
        "adm", "maj", "pres", "rev", "hon", "messrs", "mt", "ft", "no", "vs", "etc", "inc", "ltd", "co", "corp", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e",
        "a.m", "p.m", "d.c", "approx", "dept", "est", "fig", "al", "ave", "blvd",
    };

    public static List<SentenceSpan> Split(string text) => Split(text, 0, text.Length);

    public static List<SentenceSpan> Split(string text, int from, int to)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<SentenceSpan>();
        var start = SkipSpace(text, from, to);
        var i = start;
        while (i < to)
        {
            var c = text[i];
            if (c == '\n')
            {
                Add(sentences, text, start, i, true);
                start = SkipSpace(text, i, to);
                i = start;
                continue;
            }
            if (c is '.' or '!' or '?' or '…')
            {
                var end = i + 1;
                while (end < to && text[end] is '.' or '!' or '?' or '"' or '\'' or ')' or ']' or '’' or '”' or '»')
                    end++;
                if (end >= to || (char.IsWhiteSpace(text[end]) && IsBoundary(text, start, i, end, to)))
                {
                    Add(sentences, text, start, end, false);
                    start = SkipSpace(text, end, to);
                    i = start;
                    continue;
                }
                i = end;
                continue;
            }
            i++;
        }
        Add(sentences, text, start, to, true);
        return sentences;
    }

    private static bool IsBoundary(string text, int sentenceStart, int mark, int end, int to)
    {
        var next = end;
        while (next < to && text[next] is ' ')
            next++;
        if (next >= to || text[next] == '\n')
            return true;
        var n = text[next];
        if (!(char.IsUpper(n) || char.IsDigit(n) || n is '"' or '\'' or '“' or '‘' or '(' or '['))
            return false;
        if (text[mark] != '.')
            return true;
        // The word before the full stop: an abbreviation or a single initial does not end a sentence.
        var w = mark - 1;
        while (w >= sentenceStart && (char.IsLetter(text[w]) || text[w] == '.'))
            w--;
        var word = text.AsSpan(w + 1, mark - w - 1);
        if (word.Length == 1 && char.IsUpper(word[0]))
            return false;
        return word.Length == 0 || !Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }

    private static void Add(List<SentenceSpan> sentences, string text, int start, int end, bool paragraphEnd)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        if (end <= start)
        {
            if (paragraphEnd && sentences.Count > 0 && !sentences[^1].EndsParagraph)
                sentences[^1] = sentences[^1] with { EndsParagraph = true };
            return;
        }
        var endsParagraph = paragraphEnd || (end < text.Length && NextLineBreak(text, end));
        sentences.Add(new SentenceSpan(start, end, endsParagraph));
    }

    private static bool NextLineBreak(string text, int index)
    {
        for (var i = index; i < text.Length; i++)
        {
            if (text[i] == '\n')
                return true;
            if (!char.IsWhiteSpace(text[i]))
                return false;
        }
        return true;
    }

    private static int SkipSpace(string text, int index, int to)
    {
        while (index < to && char.IsWhiteSpace(text[index]))
            index++;
        return index;
    }

    /// <summary>Counts words (runs of non-space characters) in a span.</summary>
    public static int CountWords(string text, int start, int end)
    {
        var count = 0;
        var inWord = false;
        for (var i = start; i < end; i++)
        {
            var space = char.IsWhiteSpace(text[i]);
            if (!space && !inWord)
                count++;
            inWord = !space;
        }
        return count;
    }
}
