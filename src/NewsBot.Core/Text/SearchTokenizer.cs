
namespace NewsBot.Core.Text;

/// <summary>
/// The lexical tokens of NewsBot: lower-cased, quotes and apostrophes folded, possessive <c>'s</c> dropped, stop words
/// removed, plurals reduced by the Harman "S" stemmer. Both indexes store these tokens (the SQLite FTS column and the
/// Qdrant sparse vector), so a question matches the same way whichever index is in use.
/// </summary>
public static class SearchTokenizer
{
    /// <summary>Tokens of <paramref name="text"/> in order, stop words removed.</summary>
    public static List<string> Tokenize(string text) => Tokenize(text, keepStopWords: false);

    public static List<string> Tokenize(string text, bool keepStopWords)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>(text.Length / 6);
        Span<char> buffer = stackalloc char[64];
        var length = 0;
        var overflow = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? TextNormalizer.FoldChar(text[i]) : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < buffer.Length)
                    buffer[length++] = char.ToLowerInvariant(c);
                else
                    overflow = true;
                continue;
            }
            // "AT&T", "P&G", "S&P": an ampersand between letters joins them into one token.
            if (c == '&' && length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                continue;
            // An apostrophe inside a word: "don't" stays one token, "Korea's" loses its possessive.
            if (c == '\'' && length > 0 && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                if (i + 2 <= text.Length && (text[i + 1] == 's' || text[i + 1] == 'S') && (i + 2 == text.Length || !char.IsLetterOrDigit(text[i + 2])))
                {
                    i++; // skip the 's'
                }
                else
                {
                    continue; // "don't" -> "dont"
                }
            }
            if (length > 0 && !overflow)
                Emit(buffer[..length], tokens, keepStopWords);
            length = 0;
            overflow = false;
        }
        return tokens;
    }

    private static void Emit(ReadOnlySpan<char> raw, List<string> tokens, bool keepStopWords)
    {
        if (!keepStopWords && StopWords.Contains(raw))
            return;
        tokens.Add(Stem(raw));
    }

    /// <summary>Harman's "S" stemmer: a conservative plural reduction that rarely merges unrelated words.</summary>
    internal static string Stem(ReadOnlySpan<char> word)
    {
        if (word.Length > 3 && word.EndsWith("ies") && !word.EndsWith("eies") && !word.EndsWith("aies"))
            return string.Concat(word[..^3], "y");
        if (word.Length > 3 && word.EndsWith("es") && !word.EndsWith("aes") && !word.EndsWith("ees") && !word.EndsWith("oes"))
            return new string(word[..^1]);
        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("us") && !word.EndsWith("ss"))
            return new string(word[..^1]);
        return new string(word);
    }

    /// <summary>Lower-cased English function words that carry no topic.</summary>
    public static class StopWords
    {
        private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
        {
            "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
            "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
            "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having",
            "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is",
            "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of",
            "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
            "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
            "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
            "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
            "with", "would", "you", "your", "yours", "yourself", "yourselves", "s", "t", "said", "says", "say",
            "week", "according", "did", "dont", "many", "much", "may", "might", "must", "shall", "onto", "upon",
            "whose", "within", "without", "yet", "ever", "every", "let", "lets", "per", "via",
        };

        private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

        public static bool Contains(ReadOnlySpan<char> word) => Lookup.Contains(word);
    }

    /// <summary>The words of <paramref name="text"/> as the answerers compare them: tokens with stop words kept out.</summary>
    public static HashSet<string> ContentWords(string text) => new(Tokenize(text), StringComparer.Ordinal);

}
