using System.Text.Json.Serialization;
using NewsBot.Core.Answering;

namespace NewsBot.Core.Feedback;

/// <summary>
/// One reader's verdict on one answer, with everything needed to turn it into an evaluation question later: the
/// question, the answer as given, what it cited, when it was answered and from which index. One vote per user per
/// answer; a later vote by the same user on the same answer replaces the earlier one.
/// </summary>
public sealed record FeedbackVote
{
    public const string Up = "up";
    public const string Down = "down";

    /// <summary>The bot's id for the answer (unique within one bot process's life, and prefixed per process).</summary>
    [JsonPropertyName("answer_id")]
    public required string AnswerId { get; init; }

    [JsonPropertyName("user_id")]
    public required string UserId { get; init; }

    /// <summary><see cref="Up"/> (helpful) or <see cref="Down"/> (wrong or unhelpful).</summary>
    [JsonPropertyName("vote")]
    public required string Vote { get; init; }

    /// <summary>What the reader said was wrong (👎 only, optional).</summary>
    [JsonPropertyName("comment")]
    public string? Comment { get; init; }

    [JsonPropertyName("question")]
    public required string Question { get; init; }

    [JsonPropertyName("answer")]
    public required string Answer { get; init; }

    [JsonPropertyName("refused")]
    public bool Refused { get; init; }

    [JsonPropertyName("citations")]
    public IReadOnlyList<FeedbackCitation> Citations { get; init; } = [];

    /// <summary>When the answer was given: the as-of date of everything it says.</summary>
    [JsonPropertyName("answered_at")]
    public DateTimeOffset AnsweredAt { get; init; }

    /// <summary>The index the answer came from (<see cref="Indexing.IPassageIndex.Location"/>).</summary>
    [JsonPropertyName("index")]
    public string? Index { get; init; }

    [JsonPropertyName("guild_id")]
    public string? GuildId { get; init; }

    [JsonPropertyName("channel_id")]
    public string? ChannelId { get; init; }

    [JsonPropertyName("voted_at")]
    public DateTimeOffset VotedAt { get; init; }

    [JsonIgnore]
    public bool Helpful => string.Equals(Vote, Up, StringComparison.Ordinal);

    /// <summary>A vote on <paramref name="answer"/>, its citations copied as they were shown.</summary>
    public static FeedbackVote For(Answer answer, string answerId, string userId, bool helpful, DateTimeOffset answeredAt, DateTimeOffset votedAt) => new()
    {
        AnswerId = answerId,
        UserId = userId,
        Vote = helpful ? Up : Down,
        Question = answer.Question,
        Answer = answer.Text,
        Refused = answer.Refused,
        Citations = answer.Citations.Select(c => new FeedbackCitation(c.Number, c.ArticleId, c.PassageId, c.Title, c.Url, c.Quote)).ToList(),
        AnsweredAt = answeredAt,
        VotedAt = votedAt,
    };
}

/// <summary>One citation of a voted answer, as it was shown.</summary>
public sealed record FeedbackCitation(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("article_id")] string ArticleId,
    [property: JsonPropertyName("passage_id")] string PassageId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("quote")] string Quote);
