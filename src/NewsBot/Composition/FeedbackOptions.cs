namespace NewsBot.Host.Composition;

/// <summary>Settings of the <c>Feedback</c> section: where 👍/👎 votes on answers are kept.</summary>
public sealed class FeedbackOptions
{
    public const string SectionName = "Feedback";

    /// <summary>The JSON Lines file used when the index is Qdrant and Feedback:Path is not set.</summary>
    public const string DefaultFile = "newsbot-feedback.jsonl";

    /// <summary>
    /// A JSON Lines file for votes (Feedback:Path). Empty: in the embedded index file, or in
    /// <see cref="DefaultFile"/> in the current folder when the index is Qdrant.
    /// </summary>
    public string? Path { get; set; }
}
