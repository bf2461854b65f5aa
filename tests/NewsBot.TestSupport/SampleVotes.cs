using NewsBot.Core.Feedback;

namespace NewsBot.TestSupport;

/// <summary>Feedback votes on one small answer about a bridge, for the feedback store and export tests.</summary>
public static class SampleVotes
{
    public static DateTimeOffset Day(int day) => new(2026, 12, day, 9, 0, 0, TimeSpan.Zero);

    public static FeedbackVote Vote(string answer, string user, bool helpful, DateTimeOffset at) => new()
    {
        AnswerId = answer,
        UserId = user,
        Vote = helpful ? FeedbackVote.Up : FeedbackVote.Down,
        Question = "Who opened the bridge?",
        Answer = "The mayor [1].",
        Citations = [new FeedbackCitation(1, "bridge", "bridge#0", "Bridge", null, "The mayor opened the new harbour bridge.")],
        AnsweredAt = at.AddMinutes(-1),
        VotedAt = at,
    };
}
