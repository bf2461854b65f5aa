namespace NewsBot.Core.Answering;

/// <summary>A question from a user, with the earlier turns of the conversation when it is a follow-up.</summary>
public sealed record AskRequest(string Question)
{
    public DateTimeOffset? AsOf { get; init; }

    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Only articles by one of these authors.</summary>
    public IReadOnlyList<string>? Authors { get; init; }

    public IReadOnlyList<ConversationTurn> History { get; init; } = [];
}
