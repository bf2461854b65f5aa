namespace NewsBot.Core.Retrieval;

/// <param name="AsOf">Articles published after this are excluded and recency is measured from it; null means now.</param>
/// <param name="K">How many passages to return; null uses <c>Retrieval:TopK</c>.</param>
public sealed record RetrievalRequest(string Query)
{
    public int? K { get; init; }

    public DateTimeOffset? AsOf { get; init; }

    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Only articles by one of these authors.</summary>
    public IReadOnlyList<string>? Authors { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }
}
