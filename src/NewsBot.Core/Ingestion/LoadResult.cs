using NewsBot.Core.Articles;

namespace NewsBot.Core.Ingestion;

/// <summary>One thing <see cref="ArticleLoader"/> found: an article or a skip (exactly one is set), and the file (full path).</summary>
public sealed record LoadResult(Article? Article, LoadSkip? Skip, string File)
{
    /// <summary>For a file read as a stream, how many of its bytes have been consumed; null when not tracked.</summary>
    public long? Position { get; init; }

    internal static LoadResult Loaded(Article article, string file) => new(article, null, file);

    internal static LoadResult Skipped(string file, int? line, string reason) => new(null, new LoadSkip(file, line, reason), file);
}
