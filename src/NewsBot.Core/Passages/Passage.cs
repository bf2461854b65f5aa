namespace NewsBot.Core.Passages;

/// <summary>
/// A span of an article, with the article's display fields carried along so that a retrieved passage can be cited
/// without another look-up. <see cref="Start"/> and <see cref="End"/> are character offsets into the article's
/// normalised text, so <c>article.Text[Start..End] == Text</c>.
/// </summary>
public sealed record Passage
{
    /// <summary><c>{ArticleId}#{Ordinal}</c>.</summary>
    public required string Id { get; init; }

    public required string ArticleId { get; init; }

    public required int Ordinal { get; init; }

    public required int Start { get; init; }

    public required int End { get; init; }

    public required string Text { get; init; }

    public required string Title { get; init; }

    public string? Source { get; init; }

    public string? Url { get; init; }

    public DateTimeOffset? Published { get; init; }

    /// <summary>The article's authors, as its byline or metadata names them (empty when unknown).</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>
    /// What the indexes search and embed: the article's title and the passage, so every passage carries what its
    /// article is about. Both indexes must use this, or the same question would match differently.
    /// </summary>
    public string SearchText => Title + "\n" + Text;

    public static string MakeId(string articleId, int ordinal) => $"{articleId}#{ordinal}";
}
