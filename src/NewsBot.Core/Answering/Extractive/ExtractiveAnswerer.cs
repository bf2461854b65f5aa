using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using NewsBot.Core.Text;

namespace NewsBot.Core.Answering.Extractive;

/// <summary>
/// Answers without a model: scores every sentence of the retrieved passages by how much of the question it (and its
/// passage) covers, weighting rare question words above common ones, and answers with the best sentence or two, each
/// followed by <c>[n]</c> for its passage. When even the best sentence covers too little of the question, it refuses.
/// </summary>
public sealed class ExtractiveAnswerer : IAnswerer
{
    private const double SentenceShare = 0.7;
    private const double EntityMissPenalty = 0.0;

    private readonly ExtractiveOptions _options;

    public ExtractiveAnswerer(IOptions<ExtractiveOptions> options)
    {
        _options = options.Value;
    }

    public Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(Answer(request));
    }

    public async IAsyncEnumerable<AnswerUpdate> StreamAsync(AnswerRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(request, cancellationToken);
        yield return new AnswerUpdate(answer.Text, answer);
    }

    /// <summary>The scored candidate sentences, best first; exposed for calibration and tests.</summary>
    public IReadOnlyList<ScoredSentence> Score(string question, IReadOnlyList<RetrievedPassage> passages)
    {
        var questionTerms = Terms(question);
        if (questionTerms.Count == 0 || passages.Count == 0)
            return [];

        var passageTerms = passages.Select(p => Terms(p.Passage.Text)).ToList();
        var authorQuestion = Bylines.AsksForAuthor(question);
        var required = Entities.Of(question);
        var names = Entities.Names(question);
        var nameWords = Entities.NameWords(question);
        var numbers = required.Except(names).ToHashSet(StringComparer.Ordinal);
        var topicTerms = authorQuestion ? questionTerms.Where(t => !Bylines.AuthorWords.Contains(t)).ToHashSet(StringComparer.Ordinal) : questionTerms;
        // Words of the question found in every passage tell passages apart less than rare ones do.
        var weights = questionTerms.ToDictionary(t => t, t => 1.0 + Math.Log(1.0 + (passages.Count / (1.0 + passageTerms.Count(pt => pt.Contains(t))))));
        var total = weights.Values.Sum();

        var scored = new List<ScoredSentence>();
        for (var p = 0; p < passages.Count; p++)
        {
            var passage = passages[p];
            var text = passage.Passage.Text;
            var passageCoverage = Coverage(weights, passageTerms[p]) / total;
            // The names and numbers of a question are what it is about: a passage without all of them answers
            // some other question ("the 2022 World Cup" is no answer to "the 2014 World Cup").
            var aboutSomethingElse = !required.IsSubsetOf(passageTerms[p]);
            foreach (var sentence in SentenceSplitter.Split(text))
            {
                var words = SentenceSplitter.CountWords(text, sentence.Start, sentence.End);
                if (words < 4)
                    continue;
                var sentenceText = text[sentence.Start..sentence.End];
                var sentenceTerms = Terms(sentenceText);
                var sentenceCoverage = Coverage(weights, sentenceTerms) / total;
                var support = (SentenceShare * sentenceCoverage) + ((1 - SentenceShare) * passageCoverage);
                if (authorQuestion && Bylines.IsByline(sentenceText))
                {
                    // A byline answers "who wrote"; it counts when its article matches the rest of the question.
                    support = Math.Max(support, ArticleCoverage(passages, passageTerms, passage.Passage.ArticleId, topicTerms));
                }
                var lacksNumbers = !numbers.IsSubsetOf(sentenceTerms);
                var lacksNames = nameWords.Count > 0 && !nameWords.Any(w => Entities.NamedIn(sentenceText, w));
                var lacksOnlyNames = false;
                if (!(authorQuestion && Bylines.IsByline(sentenceText)) && (aboutSomethingElse || lacksNumbers || lacksNames))
                {
                    // The passage lacks a name or number of the question, or the sentence itself names none of the
                    // question's names or misses one of its numbers: an answer to some other question.
                    support *= EntityMissPenalty;
                    lacksOnlyNames = !aboutSomethingElse && !lacksNumbers;
                }
                // A small preference for better-ranked passages and against very long sentences breaks ties.
                var rank = support + (0.02 / passage.Number) - (words > 60 ? 0.05 : 0);
                var matched = questionTerms.Where(sentenceTerms.Contains).ToList();
                scored.Add(new ScoredSentence(passage, sentenceText, support, rank, matched, sentence.Start, lacksOnlyNames));
            }
        }
        scored.Sort(static (a, b) => b.Rank.CompareTo(a.Rank));
        return scored;
    }

    private Answer Answer(AnswerRequest request)
    {
        var scored = Score(request.Question, request.Passages);
        if (scored.Count == 0 || scored[0].Support < _options.MinSupport)
            return Answering.Answer.Refusal(request.Question, request.Passages);

        var best = scored[0];
        var chosen = new List<ScoredSentence> { best };
        var covered = new HashSet<string>(best.Matched, StringComparer.Ordinal);
        // First, a sentence of the same passage that covers question words the best one does not (the quote that
        // follows "he said", say); then sentences that support the question almost as well as the best.
        var complement = scored.Skip(1)
            .Where(c => c.Passage.Number == best.Passage.Number && (c.Support > 0 || c.LacksOnlyNames) && c.Matched.Any(t => !covered.Contains(t)))
            .MaxBy(c => c.Matched.Count(t => !covered.Contains(t)) + c.Support);
        if (complement is not null && chosen.Count < _options.MaxSentences)
        {
            chosen.Add(complement);
            covered.UnionWith(complement.Matched);
        }
        foreach (var candidate in scored.Skip(1))
        {
            if (chosen.Count >= _options.MaxSentences)
                break;
            if (candidate.Support < Math.Max(_options.MinSupport, best.Support * 0.85))
                break;
            if (chosen.Any(c => ReferenceEquals(c, candidate) || Shingles.Overlap(Shingles.Of(c.Text), Shingles.Of(candidate.Text)) > 0.5))
                continue;
            chosen.Add(candidate);
        }
        // Sentences of one passage read best in article order.
        chosen = chosen.OrderBy(c => c.Passage.Number).ThenBy(c => c.Offset).ToList();

        var citations = new List<Citation>();
        var parts = new List<string>();
        foreach (var sentence in chosen)
        {
            var passage = sentence.Passage;
            parts.Add($"{sentence.Text.Trim()} [{passage.Number}]");
            if (citations.All(c => c.Number != passage.Number))
            {
                var p = passage.Passage;
                citations.Add(new Citation(passage.Number, p.ArticleId, p.Id, p.Title, p.Source, p.Published, p.Url, sentence.Text.Trim()) { Authors = p.Authors });
            }
        }
        citations.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        return new Answer(request.Question, string.Join(' ', parts), false, citations, request.Passages);
    }

    /// <summary>The best share of <paramref name="topic"/> that one retrieved passage of the article holds.</summary>
    private static double ArticleCoverage(IReadOnlyList<RetrievedPassage> passages, List<HashSet<string>> passageTerms, string articleId, HashSet<string> topic)
    {
        if (topic.Count == 0)
            return 0;
        var best = 0.0;
        for (var i = 0; i < passages.Count; i++)
        {
            if (passages[i].Passage.ArticleId == articleId)
                best = Math.Max(best, (double)topic.Count(passageTerms[i].Contains) / topic.Count);
        }
        return best;
    }

    private static double Coverage(Dictionary<string, double> weights, HashSet<string> terms)
    {
        var sum = 0.0;
        foreach (var (term, weight) in weights)
        {
            if (terms.Contains(term))
                sum += weight;
        }
        return sum;
    }

    /// <summary>The question's names (capitalised words not opening a sentence) and numbers, as reduced terms.</summary>
    private static class Entities
    {
        public static HashSet<string> Of(string question) => Collect(question, names: true, numbers: true);

        public static HashSet<string> Names(string question) => Collect(question, names: true, numbers: false);

        /// <summary>The capitalised words themselves ("Interview", "FIFA"), possessives dropped.</summary>
        public static List<string> NameWords(string question)
        {
            var words = new List<string>();
            var sentenceStart = true;
            foreach (var raw in question.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var word = raw.Trim('"', '\'', '“', '”', '‘', '’', '(', ')', ',', ';', ':', '?', '!', '.');
                if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal))
                    word = word[..^2];
                if (word.Length > 1 && char.IsUpper(word[0]) && !sentenceStart && Terms(word).Count > 0)
                    words.Add(word);
                sentenceStart = raw.EndsWith('.') || raw.EndsWith('?') || raw.EndsWith('!') || raw.EndsWith(':');
            }
            return words;
        }

        /// <summary>
        /// Whether the sentence has the name as a name: capitalised where it appears ("The Interview", "Fifa"), so
        /// that "in an interview" does not stand for the film.
        /// </summary>
        public static bool NamedIn(string sentence, string name)
        {
            var at = 0;
            while ((at = sentence.IndexOf(name, at, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                var boundaryBefore = at == 0 || !char.IsLetterOrDigit(sentence[at - 1]);
                if (boundaryBefore && char.IsUpper(sentence[at]))
                    return true;
                at += name.Length;
            }
            return false;
        }

        private static HashSet<string> Collect(string question, bool names, bool numbers)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            var sentenceStart = true;
            foreach (var raw in question.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var word = raw.Trim('"', '\'', '“', '”', '‘', '’', '(', ')', ',', ';', ':', '?', '!', '.');
                var isName = word.Length > 0 && char.IsUpper(word[0]) && !sentenceStart;
                var isNumber = word.Length > 0 && word.Any(char.IsDigit);
                if ((names && isName && !isNumber) || (numbers && isNumber))
                {
                    foreach (var term in Terms(word))
                        set.Add(term);
                }
                sentenceStart = raw.EndsWith('.') || raw.EndsWith('?') || raw.EndsWith('!') || raw.EndsWith(':');
            }
            return set;
        }
    }

    /// <summary>Content words reduced to a crude stem, so "called" meets "call" and "sanctioned" meets "sanctions".</summary>
    internal static HashSet<string> Terms(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in SearchTokenizer.Tokenize(text))
            set.Add(Reduce(token));
        return set;
    }

    private static string Reduce(string token)
    {
        if (token.Length > 5 && token.EndsWith("ing", StringComparison.Ordinal))
            return token[..^3];
        if (token.Length > 4 && token.EndsWith("ed", StringComparison.Ordinal))
            return token[..^2];
        if (token.Length > 4 && token.EndsWith("ly", StringComparison.Ordinal))
            return token[..^2];
        if (token.Length > 4 && token.EndsWith('e'))
            return token[..^1];
        return token;
    }
}

/// <summary>A sentence of a retrieved passage with its support for the question (0..1) and its ranking score.</summary>
/// <param name="Matched">The question's terms found in the sentence itself.</param>
/// <param name="Offset">Where the sentence starts in its passage.</param>
/// <param name="LacksOnlyNames">
/// Excluded as an answer of its own only because it names none of the question's names; it can still follow a sentence
/// that does (the quote after "Doug Madory said").
/// </param>
public sealed record ScoredSentence(RetrievedPassage Passage, string Text, double Support, double Rank, IReadOnlyList<string> Matched, int Offset, bool LacksOnlyNames);
