namespace NewsBot.Core.Answering;

/// <summary>One source an answer stands on. <see cref="Number"/> is the <c>[n]</c> marker used in the answer text.</summary>
/// <param name="Quote">The exact text of the cited passage (or the sentence of it the answer used), as in the article.</param>
public sealed record Citation(
    int Number,
    string ArticleId,
    string PassageId,
    string Title,
    string? Source,
    DateTimeOffset? Date,
    string? Url,
    string Quote)
{
    /// <summary>The cited article's authors, for "by …" (empty when unknown).</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];
}
