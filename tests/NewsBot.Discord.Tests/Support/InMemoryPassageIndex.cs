using System.Collections.Concurrent;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Core.Text;

namespace NewsBot.Discord.Tests.Support;

/// <summary>A small brute-force <see cref="IPassageIndex"/> (cosine and term-overlap candidate lists) for bot tests.</summary>
internal sealed class InMemoryPassageIndex : IPassageIndex
{
    private readonly ConcurrentDictionary<string, (IndexedArticleState State, List<(Passage Passage, float[] Vector, HashSet<string> Terms)> Passages)> _articles = new(StringComparer.Ordinal);

    public string Location => "memory";

    public Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, IndexedArticleState>>(_articles.ToDictionary(a => a.Key, a => a.Value.State, StringComparer.Ordinal));

    public Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken)
    {
        var passages = article.Passages.Select((p, i) => (p, article.Vectors[i].ToArray(), new HashSet<string>(SearchTokenizer.Tokenize(p.Text), StringComparer.Ordinal))).ToList();
        _articles[article.Article.Id] = (new IndexedArticleState(article.Article.Id, article.ContentHash, article.Article.Origin), passages);
        return Task.CompletedTask;
    }

    /// <summary>Gives an article a source, link and date (the samples are plain text without them).</summary>
    public void Describe(string articleId, string source, string? url, DateTimeOffset? published)
    {
        var (state, passages) = _articles[articleId];
        _articles[articleId] = (state, passages.Select(p => (p.Passage with { Source = source, Url = url, Published = published }, p.Vector, p.Terms)).ToList());
    }

    public Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        foreach (var id in articleIds)
            _articles.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public Task<CandidateLists> SearchAsync(PassageQuery query, CancellationToken cancellationToken)
    {
        var vector = query.Vector.ToArray();
        var all = _articles.Values.SelectMany(a => a.Passages)
            .Where(p => query.Filter.Matches(p.Passage.Source, p.Passage.Published))
            .Select(p => (p.Passage, Similarity: Cosine(vector, p.Vector), Overlap: query.Terms.Distinct().Count(p.Terms.Contains)))
            .ToList();
        var dense = all.OrderByDescending(p => p.Similarity).Take(query.Depth).Select(p => new RankedPassage(p.Passage, p.Similarity)).ToList();
        var lexical = all.Where(p => p.Overlap > 0).OrderByDescending(p => p.Overlap).Take(query.Depth).Select(p => new RankedPassage(p.Passage, p.Overlap)).ToList();
        return Task.FromResult(new CandidateLists(dense, lexical));
    }

    public Task<long> CountPassagesAsync(CancellationToken cancellationToken) =>
        Task.FromResult((long)_articles.Values.Sum(a => a.Passages.Count));

    public Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        var passages = _articles.Values.SelectMany(a => a.Passages).Select(p => p.Passage).ToList();
        var dates = passages.Where(p => p.Published is not null).Select(p => p.Published!.Value).ToList();
        return Task.FromResult(new IndexStatistics(Location, _articles.Count, passages.Count, passages.Select(p => p.Source).Where(s => s is not null).Distinct().Count(),
            dates.Count == 0 ? null : dates.Min(), dates.Count == 0 ? null : dates.Max(), null, new Dictionary<string, string>()));
    }

    public Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> sources = _articles.Values.SelectMany(a => a.Passages).Select(p => p.Passage.Source).OfType<string>()
            .Where(s => prefix is null || s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(limit).ToList();
        return Task.FromResult(sources);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : (float)(dot / Math.Sqrt(na * nb));
    }
}
