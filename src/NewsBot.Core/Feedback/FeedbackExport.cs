using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NewsBot.Core.Evaluation;

namespace NewsBot.Core.Feedback;

/// <summary>
/// Turns votes into evaluation questions in the format of <c>newsbot eval</c>'s files, one per voted answer. A 👍 on
/// an answer makes a regression question: its cited articles are the <c>sources</c>, its cited quotes the
/// <c>evidence</c>. A 👍 on a refusal makes an unanswerable question. Any 👎 marks the question <c>"review": true</c>
/// (the bot's answer and the reader's comment beside it), which <c>newsbot eval</c> skips until someone has checked
/// the sources and removed the mark.
/// </summary>
public static class FeedbackExport
{
    /// <summary>One exported question: its JSON line, and whether it is marked for review (it had a 👎).</summary>
    public sealed record Line(string Json, bool Review);

    public static IReadOnlyList<Line> ToEvalLines(IEnumerable<FeedbackVote> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var lines = new List<Line>();
        foreach (var group in votes.GroupBy(v => v.AnswerId, StringComparer.Ordinal).OrderBy(g => g.Min(v => v.VotedAt)))
        {
            var latest = group.MaxBy(v => v.VotedAt)!;
            var up = group.Count(v => v.Helpful);
            var down = group.Count() - up;
            var question = new EvalQuestion
            {
                Id = "feedback-" + latest.AnswerId,
                Question = latest.Question,
                Sources = latest.Citations.Select(c => c.ArticleId).Distinct(StringComparer.Ordinal).ToList(),
                Evidence = latest.Citations.Select(c => c.Quote).Where(q => q.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
                // A refusal readers agreed with is a question the articles don't answer; one they disliked is not.
                Answerable = !latest.Refused || down > 0,
                AsOf = latest.AnsweredAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Review = down > 0,
            };
            var line = (JsonObject)JsonSerializer.SerializeToNode(question, FeedbackJsonContext.Default.EvalQuestion)!;
            line["votes"] = new JsonObject { ["up"] = up, ["down"] = down };
            line["bot_answer"] = latest.Answer;
            var comments = group.Select(v => v.Comment?.Trim()).Where(c => !string.IsNullOrEmpty(c)).Distinct(StringComparer.Ordinal).ToList();
            if (comments.Count > 0)
                line["comments"] = new JsonArray([.. comments.Select(c => JsonValue.Create(c))]);
            if (latest.Index is { } index)
                line["index"] = index;
            lines.Add(new Line(line.ToJsonString(), question.Review));
        }
        return lines;
    }
}
