using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Text;

namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// Turns a model's reply into an answer that stands on the passages it was given:
/// <list type="bullet">
/// <item>citations to numbers that were not given are dropped;</item>
/// <item>a cited sentence stays only when at least <see cref="ModelAnswerOptions.MinSupport"/> of its content words
/// appear in the passages it cites and every number in it appears there too; a cited passage that shares no content
/// word with the sentence loses that citation;</item>
/// <item>an uncited sentence stays only when it adds nothing: no number, and no content word beyond the question's,
/// the kept cited sentences', and a few words that talk about the answer itself ("the articles", "however", "in
/// summary"). So "Here is what the articles report:" stays, while an uncited claim goes;</item>
/// <item>a sentence saying the sources don't cover something stays beside supported sentences (a cited one is
/// checked like any other first), and when nothing supported remains it makes the answer the refusal;</item>
/// <item>sentences repeating the instructions are removed; links and mentions are made safe.</item>
/// </list>
/// Citation numbers are kept as the passages' own numbers, so <see cref="Citation.Number"/> matches both the markers
/// in the text and <see cref="RetrievedPassage.Number"/>. When nothing supported remains and the model did not
/// refuse, <see cref="Check"/> gives no answer and the caller falls back.
/// </summary>
internal sealed partial class AnswerChecker
{
    private static readonly HashSet<string> MetaWords = ExtractiveAnswerer.Terms(
        "article articles source sources report reports reported news answer question summary summarize overall however " +
        "also addition additionally furthermore moreover mention mentioned detail details information following key " +
        "point points main here based state states stated note noted brief briefly short yes provide provided");

    private readonly string _question;
    private readonly IReadOnlyList<RetrievedPassage> _allPassages;
    private readonly Dictionary<int, RetrievedPassage> _given;
    private readonly Dictionary<int, HashSet<string>> _passageWords = [];
    private readonly ModelAnswerOptions _options;
    private readonly PromptLeakDetector _leaks;

    public AnswerChecker(string question, IReadOnlyList<RetrievedPassage> allPassages, IEnumerable<RetrievedPassage> given, ModelAnswerOptions options, PromptLeakDetector leaks)
    {
        _question = question;
        _allPassages = allPassages;
        _given = given.ToDictionary(p => p.Number);
        _options = options;
        _leaks = leaks;
        AllowedUrls = AnswerSanitizer.AllowedUrls(allPassages);
    }

    public IReadOnlySet<string> AllowedUrls { get; }

    /// <summary>
    /// Partial text made fit to show while streaming: links and mentions made safe and sentences that repeat the
    /// instructions cut out; the rest is left as it is, so each update extends the last.
    /// </summary>
    public string Display(string partial)
    {
        var text = AnswerSanitizer.ForDisplay(partial, AllowedUrls);
        // Cutting a sentence out joins its neighbours, which could make a new run: look again until nothing leaks.
        for (var round = 0; round < 4; round++)
        {
            var leaks = _leaks.Leaks(text);
            if (leaks.Count == 0)
                break;
            var builder = new StringBuilder(text.Length);
            var last = 0;
            foreach (var span in SentenceSplitter.Split(text))
            {
                if (!Overlaps(leaks, span))
                    continue;
                builder.Append(text, last, span.Start - last);
                last = span.End;
            }
            text = builder.Append(text, last, text.Length - last).ToString();
        }
        return text;
    }

    public CheckResult Check(string modelText)
    {
        var text = AnswerSanitizer.StripLinks(AnswerSanitizer.RemoveReasoning(TextNormalizer.Normalize(modelText ?? "")), AllowedUrls).Trim();
        if (text.Length == 0)
            return new CheckResult(null, 0, 0, 0);
        text = MarkersAfterPunctuation().Replace(text, "${markers}${punct}");

        var sentences = Read(text, out var dropped, out var removed);
        var supported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sentences.Where(s => s.Kind == Kind.Cited))
        {
            if (Supported(s))
            {
                supported.UnionWith(s.Words);
            }
            else if (s.IsLimitation)
            {
                // "The sources don't say [2]": a statement about the sources, not a claim the citation must carry.
                s.Citations.Clear();
                s.Kind = Kind.Limitation;
            }
            else
            {
                s.Kind = Kind.Removed;
            }
        }
        var questionWords = ExtractiveAnswerer.Terms(_question);
        foreach (var s in sentences.Where(s => s.Kind == Kind.Uncited))
        {
            var addsNothing = !s.Words.Any(IsNumber) && s.Words.All(w => questionWords.Contains(w) || supported.Contains(w) || MetaWords.Contains(w));
            if (!addsNothing)
                s.Kind = Kind.Removed;
        }
        removed += sentences.Count(s => s.Kind == Kind.Removed);

        if (!sentences.Any(s => s.Kind == Kind.Cited))
        {
            var refused = sentences.Any(s => s.Kind == Kind.Limitation);
            return new CheckResult(refused ? Answer.Refusal(_question, _allPassages) : null, 0, removed, dropped);
        }

        var kept = sentences.Where(s => s.Kind != Kind.Removed).ToList();
        var builder = new StringBuilder();
        for (var i = 0; i < kept.Count; i++)
        {
            var s = kept[i];
            if (i > 0)
                builder.Append(kept[i - 1].SeparatorAfter);
            builder.Append(s.Body);
            if (s.Kind == Kind.Cited && s.Citations.Count > 0)
                builder.Append(' ').Append(CitationMarkers.Format(s.Citations));
        }
        var citations = kept
            .Where(s => s.Kind == Kind.Cited)
            .SelectMany(s => s.Citations)
            .Distinct()
            .Order()
            .Select(n => MakeCitation(_given[n], kept.Where(s => s.Kind == Kind.Cited && s.Citations.Contains(n))))
            .ToList();
        var answerText = AnswerSanitizer.NeutralizeMentions(builder.ToString().Trim());
        return new CheckResult(new Answer(_question, answerText, false, citations, _allPassages), kept.Count(s => s.Kind == Kind.Cited), removed, dropped);
    }

    private List<Sentence> Read(string text, out int droppedCitations, out int leaked)
    {
        droppedCitations = 0;
        leaked = 0;
        var spans = SentenceSplitter.Split(text);
        var leaks = _leaks.Leaks(text);
        var sentences = new List<Sentence>(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            var gap = i + 1 < spans.Count ? text[span.End..spans[i + 1].Start] : "";
            var separator = gap.Contains("\n\n", StringComparison.Ordinal) ? "\n\n" : gap.Contains('\n', StringComparison.Ordinal) ? "\n" : " ";
            var raw = text[span.Start..span.End];
            var body = Clean(CitationMarkers.Remove(raw));
            var skip = !body.Any(char.IsLetterOrDigit) || Overlaps(leaks, span);
            if (skip)
            {
                if (body.Any(char.IsLetterOrDigit))
                    leaked++;
                // The line or paragraph break after a skipped sentence still separates its neighbours.
                if (sentences.Count > 0 && sentences[^1].SeparatorAfter.Length < separator.Length)
                    sentences[^1].SeparatorAfter = separator;
                continue;
            }
            var numbers = CitationMarkers.Numbers(raw);
            var valid = numbers.Where(_given.ContainsKey).ToList();
            droppedCitations += numbers.Count - valid.Count;
            var limitation = IsLimitation(body);
            var kind = valid.Count > 0 ? Kind.Cited : limitation ? Kind.Limitation : Kind.Uncited;
            sentences.Add(new Sentence(body, ExtractiveAnswerer.Terms(AnswerSanitizer.ClaimText(body)), valid, limitation) { Kind = kind, SeparatorAfter = separator });
        }
        return sentences;
    }

    private static bool Overlaps(List<(int Start, int End)> ranges, SentenceSpan span) =>
        ranges.Exists(r => r.Start < span.End && r.End > span.Start);

    private bool Supported(Sentence sentence)
    {
        if (sentence.Words.Count == 0)
            return true;
        // A passage that shares nothing with the sentence is not what it stands on.
        sentence.Citations.RemoveAll(n => !WordsOf(n).Overlaps(sentence.Words));
        if (sentence.Citations.Count == 0)
            return false;
        var cited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in sentence.Citations)
            cited.UnionWith(WordsOf(n));
        var found = sentence.Words.Count(cited.Contains);
        var numbersFound = sentence.Words.Where(IsNumber).All(cited.Contains);
        return numbersFound && (double)found / sentence.Words.Count >= _options.MinSupport;
    }

    private HashSet<string> WordsOf(int number)
    {
        if (_passageWords.TryGetValue(number, out var words))
            return words;
        var p = _given[number].Passage;
        var date = p.Published is { } d ? d.ToString("yyyy MMMM d", CultureInfo.InvariantCulture) : "";
        words = ExtractiveAnswerer.Terms($"{p.Title}\n{p.Source}\n{date}\n{p.Text}");
        _passageWords[number] = words;
        return words;
    }

    private static Citation MakeCitation(RetrievedPassage retrieved, IEnumerable<Sentence> citing)
    {
        var p = retrieved.Passage;
        var wanted = new HashSet<string>(citing.SelectMany(s => s.Words), StringComparer.Ordinal);
        var quote = p.Text.Trim();
        var best = 0;
        foreach (var span in SentenceSplitter.Split(p.Text))
        {
            var sentence = p.Text[span.Start..span.End];
            var score = ExtractiveAnswerer.Terms(sentence).Count(wanted.Contains);
            if (score > best)
            {
                best = score;
                quote = sentence;
            }
        }
        return new Citation(retrieved.Number, p.ArticleId, p.Id, p.Title, p.Source, p.Published, p.Url, quote) { Authors = p.Authors };
    }

    private bool IsLimitation(string body)
    {
        var folded = TextNormalizer.FoldForMatching(body).Trim().TrimEnd('.', '!').Trim();
        return string.Equals(folded, TextNormalizer.FoldForMatching(_options.RefusalPhrase).Trim().TrimEnd('.', '!').Trim(), StringComparison.OrdinalIgnoreCase)
            || string.Equals(folded, TextNormalizer.FoldForMatching(Answer.RefusalText).Trim().TrimEnd('.', '!').Trim(), StringComparison.OrdinalIgnoreCase)
            || SourcesDoNotSay().IsMatch(folded);
    }

    private static bool IsNumber(string word) => word.All(char.IsDigit);

    private static string Clean(string text)
    {
        var result = Spaces().Replace(text, " ").Trim();
        return SpaceBeforePunctuation().Replace(result, "$1");
    }

    [GeneratedRegex(@"(?<punct>[.!?…]+[""'”’)]*)(?<markers>(?:[ \t]*" + CitationMarkers.Pattern + ")+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkersAfterPunctuation();

    [GeneratedRegex(@"\b(?:sources?|articles?|passages?|provided (?:text|information|context)|context)\s+(?:do not|don't|does not|doesn't|did not|didn't)\s+(?:say|state|mention|contain|provide|include|specify|cover|answer|address|give|report)\b|\b(?:no|not enough) information (?:about|on|in)\b|\bnot (?:mentioned|stated|specified|covered|reported) in the (?:sources|articles|passages)\b|\bI (?:could not|couldn't|cannot|can't) find\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SourcesDoNotSay();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@" ([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    private enum Kind
    {
        Cited,
        Uncited,
        Limitation,
        Removed,
    }

    private sealed class Sentence(string body, HashSet<string> words, List<int> citations, bool isLimitation)
    {
        /// <summary>The sentence says the sources do not cover something.</summary>
        public bool IsLimitation { get; } = isLimitation;

        public string Body { get; } = body;

        public HashSet<string> Words { get; } = words;

        public List<int> Citations { get; } = citations;

        public Kind Kind { get; set; }

        public string SeparatorAfter { get; set; } = " ";
    }
}
