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

    /// <summary>
    /// Opens an existing index for reading only, creating and changing nothing (no file, folder, collection or
    /// metadata); throws <see cref="IndexNotFoundException"/> when there is none, and
    /// <see cref="IndexMismatchException"/> when it was built by another embedder. The default, for indexes that have
    /// nothing to create, is <see cref="InitializeAsync"/>.
    /// </summary>
    Task OpenForReadingAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken) => InitializeAsync(embedder, cancellationToken);

    /// <summary>Every article in the index with its content hash and origin, for change detection and pruning.</summary>
    Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken);

    /// <summary>Writes an article's passages with their <see cref="IndexedArticle.Terms"/>, replacing whatever the index held for that article id.</summary>
    Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken);

    /// <summary>Removes articles and all their passages. Unknown ids are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken);

    /// <summary>
    /// The dense and the lexical candidate lists for a question, each filtered by <see cref="PassageQuery.Filter"/>,
    /// best first, with raw scores, at most <see cref="PassageQuery.Depth"/> long. Fusion is Core's job.
    /// </summary>
    Task<CandidateLists> SearchAsync(PassageQuery query, CancellationToken cancellationToken);

    Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken);

    /// <summary>How many passages the index holds: the cheap readiness check before a question.</summary>
    Task<long> CountPassagesAsync(CancellationToken cancellationToken);

    /// <summary>Distinct source names, optionally only those starting with <paramref name="prefix"/> (case-insensitive).</summary>
    Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Every source with its article count and date range, sorted by name (<c>newsbot sources</c>). The default, for
    /// indexes that cannot count cheaply, lists the names with no counts.
    /// </summary>
    async Task<IReadOnlyList<SourceSummary>> GetSourceSummariesAsync(CancellationToken cancellationToken) =>
        [.. (await GetSourcesAsync(null, int.MaxValue, cancellationToken)).Select(name => new SourceSummary(name, 0, null, null))];

    /// <summary>
    /// Optional: groups the writes made until the scope is disposed (an index that gains from larger transactions
    /// overrides this); every article stays whole either way. The default does nothing.
    /// </summary>
    IDisposable BeginBulkWrite() => NoScope.Instance;

    /// <summary>
    /// Optional: loads what searches need now rather than on the first search, so that a bot's first question is
    /// answered as fast as the rest. The default does nothing.
    /// </summary>
    Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
