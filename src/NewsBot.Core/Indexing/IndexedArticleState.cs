namespace NewsBot.Core.Indexing;

/// <param name="ContentHash">Hash of everything that goes into the article's passages (see <see cref="IndexedArticle.ComputeHash"/>).</param>
/// <param name="Origin">The file the article was loaded from, when it came from a file.</param>
public sealed record IndexedArticleState(string ArticleId, string ContentHash, string? Origin);
