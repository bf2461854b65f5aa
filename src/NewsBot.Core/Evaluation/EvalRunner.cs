using System.Diagnostics;
using System.Globalization;
using System.Text;
using NewsBot.Core.Answering;
using NewsBot.Core.Retrieval;
using NewsBot.Core.Text;

namespace NewsBot.Core.Evaluation;

/// <summary>
/// Runs evaluation questions through retrieval and the configured answerer and computes the figures defined in the
/// README: a hit is a retrieved passage of a source article that (when evidence is given) contains an evidence string.
/// </summary>
public sealed class EvalRunner
{
    private const int RetrievalDepth = 10;

    private readonly Retriever _retriever;
    private readonly IAnswerer _answerer;

    public EvalRunner(Retriever retriever, IAnswerer answerer)
    {
        _retriever = retriever;
        _answerer = answerer;
    }

    /// <param name="k">Passages handed to the answerer (the top k of the 10 retrieved).</param>
    public async Task<EvalReport> RunAsync(IReadOnlyList<EvalQuestion> questions, int k, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var outcomes = new List<EvalOutcome>(questions.Count);
        foreach (var question in questions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DateTimeOffset? asOf = question.AsOf is { } text && TryParseDate(text, out var date) ? date.AddDays(1).AddTicks(-1) : null;
            var clock = Stopwatch.StartNew();
            var retrieved = await _retriever.RetrieveAsync(new RetrievalRequest(question.Question) { K = Math.Max(RetrievalDepth, k), AsOf = asOf }, cancellationToken);
            var given = retrieved.Take(k).ToList();
            var answer = await _answerer.AnswerAsync(new AnswerRequest(question.Question, given, []), cancellationToken);
            clock.Stop();

            int? firstHit = null;
            for (var i = 0; i < retrieved.Count && i < RetrievalDepth; i++)
            {
                if (IsHit(question, retrieved[i]))
                {
                    firstHit = i + 1;
                    break;
                }
            }
            var citationHits = answer.Citations.Count(c => given.FirstOrDefault(p => p.Number == c.Number) is { } p && IsHit(question, p));
            var folded = Fold(answer.Text);
            var correct = !answer.Refused && question.Answers.Any(a => folded.Contains(Fold(a), StringComparison.OrdinalIgnoreCase));
            outcomes.Add(new EvalOutcome(question, firstHit, answer.Refused, correct, answer.Citations.Count, citationHits, clock.Elapsed.TotalMilliseconds, answer.Text));
            progress?.Report(outcomes.Count);
        }
        return Summarise(outcomes);
    }

    public static bool IsHit(EvalQuestion question, RetrievedPassage passage)
    {
        if (!question.Sources.Contains(passage.Passage.ArticleId, StringComparer.Ordinal))
            return false;
        if (question.Evidence.Count == 0)
            return true;
        var text = Fold(passage.Passage.Text);
        return question.Evidence.Any(e => text.Contains(Fold(e), StringComparison.OrdinalIgnoreCase));
    }

    internal static EvalReport Summarise(IReadOnlyList<EvalOutcome> outcomes)
    {
        var answerable = outcomes.Where(o => o.Question.Answerable).ToList();
        var unanswerable = outcomes.Where(o => !o.Question.Answerable).ToList();
        var citations = answerable.Sum(o => o.Citations);
        var latencies = outcomes.Select(o => o.Milliseconds).Order().ToArray();
        return new EvalReport
        {
            Questions = outcomes.Count,
            RecallAt1 = Share(answerable, o => o.FirstHitRank is <= 1),
            RecallAt5 = Share(answerable, o => o.FirstHitRank is <= 5),
            RecallAt10 = Share(answerable, o => o.FirstHitRank is <= 10),
            MrrAt10 = answerable.Count == 0 ? 0 : Math.Round(answerable.Sum(o => o.FirstHitRank is { } r ? 1.0 / r : 0) / answerable.Count, 4),
            // Questions without expected answers (exported from 👍 feedback) count for retrieval and citations only.
            AnswerAccuracy = Share(answerable.Where(o => o.Question.Answers.Count > 0).ToList(), o => o.AnswerCorrect),
            CitationPrecision = citations == 0 ? 0 : Math.Round((double)answerable.Sum(o => o.CitationHits) / citations, 4),
            RefusalAccuracy = Share(unanswerable, o => o.Refused),
            FalseRefusalRate = Share(answerable, o => o.Refused),
            P50Ms = Percentile(latencies, 0.50),
            P95Ms = Percentile(latencies, 0.95),
            Outcomes = outcomes,
        };
    }

    internal static bool TryParseDate(string text, out DateTimeOffset date) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);

    private static double Share(List<EvalOutcome> outcomes, Func<EvalOutcome, bool> predicate) =>
        outcomes.Count == 0 ? 0 : Math.Round((double)outcomes.Count(predicate) / outcomes.Count, 4);

    /// <summary>Nearest-rank percentile.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
            return 0;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 2);
    }

    /// <summary>Quotes and dashes folded, runs of white space made one space.</summary>
    private static string Fold(string text)
    {
        var folded = TextNormalizer.FoldForMatching(text);
        var builder = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space && builder.Length > 0)
                builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }
}
