namespace NewsBot.Core.Indexing;

/// <summary>
/// Where passages and their vectors live: the embedded SQLite file or a Qdrant collection. Writes are per article and
/// all-or-nothing from a reader's point of view: after <see cref="UpsertAsync"/> returns, the article's old passages are
/// gone and all of its new ones are searchable.
/// </summary>
public interface IPassageIndex : IAsyncDisposable
{
    /// <summary>Where the index is, for messages and <c>newsbot stats</c> (a file path, or URL and collection).</summary>
    string Location { get; }

    /// <summary>
    /// Creates the index if it does not exist and records which embedder builds it; if it exists, checks that it was
    /// built by the same embedder and dimension and throws <see cref="IndexMismatchException"/> otherwise.
    /// </summary>
    Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken);

    /// <summary>Every article in the index with its content hash and origin, for change detection and pruning.</summary>
    Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken);

    /// <summary>Writes an article's passages, replacing whatever the index held for that article id.</summary>
    Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken);

    /// <summary>Removes articles and all their passages. Unknown ids are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken);

    /// <summary>Hybrid search: dense and lexical candidates, filtered, fused by reciprocal rank fusion, best first.</summary>
    Task<IReadOnlyList<PassageCandidate>> SearchAsync(PassageQuery query, CancellationToken cancellationToken);

    Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken);

    /// <summary>Distinct source names, optionally only those starting with <paramref name="prefix"/> (case-insensitive).</summary>
    Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken);
}
