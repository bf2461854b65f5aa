using NewsBot.Core.Articles;

namespace NewsBot.Core.Ingestion;

/// <summary>One thing <see cref="ArticleLoader"/> found: an article or a skip (exactly one is set), and the file (full path).</summary>
public sealed record LoadResult(Article? Article, LoadSkip? Skip, string File)
{
    /// <summary>For a file read as a stream, how many of its bytes have been consumed; null when not tracked.</summary>
    public long? Position { get; init; }

    /// <summary>Something about a loaded article a user should know (a date that could not be read); null when all is well.</summary>
    public string? Warning { get; init; }

    /// <summary>The line of a JSON Lines file the article came from; null for other files.</summary>
    public int? Line { get; init; }

    internal static LoadResult Loaded(Article article, string file) => new(article, null, file);

    internal static LoadResult Loaded(Article article, string file, ArticleDraft draft) => new(article, null, file)
    {
        Warning = article.Published is null && draft.UnreadDates.Count > 0
            ? $"date '{draft.UnreadDates[0]}' could not be read; the article is indexed without a date"
            : null,
    };

    internal static LoadResult Skipped(string file, int? line, string reason) => new(null, new LoadSkip(file, line, reason), file);
}
