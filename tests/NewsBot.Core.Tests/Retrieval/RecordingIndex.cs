using NewsBot.Core.Indexing;

namespace NewsBot.Core.Tests.Retrieval;

/// <summary>An index that answers every search with the same candidate lists and remembers the queries it got.</summary>
internal sealed class RecordingIndex(CandidateLists results) : IPassageIndex
{
    public List<PassageQuery> Queries { get; } = [];

    public string Location => "memory";

    public Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, IndexedArticleState>>(new Dictionary<string, IndexedArticleState>());

    public Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<CandidateLists> SearchAsync(PassageQuery query, CancellationToken cancellationToken)
    {
        Queries.Add(query);
        return Task.FromResult(results);
    }

    public Task<long> CountPassagesAsync(CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new IndexStatistics("memory", 0, 0, 0, null, null, null, new Dictionary<string, string>()));

    public Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
