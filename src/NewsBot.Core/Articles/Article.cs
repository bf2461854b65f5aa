namespace NewsBot.Core.Articles;

/// <summary>A news article as loaded from a file, feed or record, with its text already normalised.</summary>
public sealed record Article
{
    /// <summary>The record's own <c>id</c>, or its path relative to the folder given to ingest.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string Text { get; init; }

    public string? Source { get; init; }

    public string? Url { get; init; }

    public DateTimeOffset? Published { get; init; }

    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>The file the article came from (full path), so that <c>ingest --prune</c> can tell when it is gone.</summary>
    public string? Origin { get; init; }
}
