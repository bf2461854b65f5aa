using NewsBot.Core.Embedding;
using NewsBot.Core.Indexing;
using NewsBot.Core.Ingestion;
using NewsBot.Core.Passages;
using NewsBot.Storage.Sqlite;
using NewsBot.TestSupport;

namespace NewsBot.Cli.Tests;

public sealed class IngestCancellationTests
{
    private const int Articles = 300;

    private static string WriteArticles(TempDirectory dir)
    {
        for (var i = 0; i < Articles; i++)
        {
            var body = string.Join("\n\n", Enumerable.Range(0, 6).Select(p =>
                string.Join(' ', Enumerable.Range(0, 8).Select(s => $"Article {i} paragraph {p} sentence {s} reports on harbour number {i * 7 + s} and its ships."))));
            dir.Write($"news/{i:D4}.txt", $"Harbour report {i}\n\n{body}");
        }
        return dir.File("news");
    }

    private static IngestionPipeline Pipeline(IPassageIndex index)
    {
        var embedder = new HashingEmbedder(64);
        var chunking = new ChunkingOptions();
        return new IngestionPipeline(new ArticleLoader(new LoaderOptions()), new Chunker(chunking), embedder, embedder.Descriptor, index, chunking);
    }

    [Fact]
    public async Task A_cancelled_ingest_leaves_whole_articles_and_the_rerun_finishes_without_duplicates()
    {
        using var dir = new TempDirectory();
        var folder = WriteArticles(dir);
        var options = new SqliteIndexOptions { Path = dir.File("i.db") };

        IngestionReport first;
        await using (var index = new SqlitePassageIndex(options))
        {
            using var cancel = new CancellationTokenSource();
            var progress = new CancelAfter(cancel, articles: 40);
            first = await Pipeline(index).RunAsync([folder], prune: false, progress, cancel.Token);
        }
        Assert.True(first.Cancelled);
        Assert.InRange(first.Added, 1, Articles - 1);

        int expectedPassages;
        await using (var reopened = new SqlitePassageIndex(options))
        {
            await reopened.InitializeAsync(new HashingEmbedder(64).Descriptor, CancellationToken.None);
            var stats = await reopened.GetStatisticsAsync(CancellationToken.None);
            Assert.Equal(first.Added, stats.Articles);
            // Every committed article has all of its passages: the count matches a fresh chunking of those articles.
            var chunker = new Chunker(new ChunkingOptions());
            var loader = new ArticleLoader(new LoaderOptions());
            var states = await reopened.GetArticleStatesAsync(CancellationToken.None);
            var perArticle = new Dictionary<string, int>();
            await foreach (var loaded in loader.LoadAsync([folder], CancellationToken.None))
                perArticle[loaded.Article!.Id] = chunker.Split(loaded.Article).Count;
            Assert.Equal(states.Keys.Sum(id => perArticle[id]), stats.Passages);
            expectedPassages = perArticle.Values.Sum();

            var second = await Pipeline(reopened).RunAsync([folder], prune: false, null, CancellationToken.None);
            Assert.False(second.Cancelled);
            Assert.Equal(Articles - first.Added, second.Added);
            Assert.Equal(first.Added, second.Unchanged);
        }

        await using var final = new SqlitePassageIndex(options);
        await final.InitializeAsync(new HashingEmbedder(64).Descriptor, CancellationToken.None);
        var done = await final.GetStatisticsAsync(CancellationToken.None);
        Assert.Equal(Articles, done.Articles);
        Assert.Equal(expectedPassages, done.Passages);
    }

    [Fact]
    public async Task Progress_counts_the_bytes_of_one_large_file_as_they_are_read()
    {
        using var dir = new TempDirectory();
        var lines = Enumerable.Range(0, 3000).Select(i =>
            "{\"id\":\"a" + i + "\",\"title\":\"Harbour " + i + "\",\"text\":\"" + string.Join(' ', Enumerable.Range(0, 60).Select(w => $"word{(i * 13 + w) % 997}")) + ".\"}");
        await File.WriteAllLinesAsync(dir.File("big.jsonl"), lines);
        var reports = new List<IngestionProgress>();
        await using var index = new SqlitePassageIndex(new SqliteIndexOptions { Path = dir.File("i.db") });
        await index.InitializeAsync(new HashingEmbedder(64).Descriptor, CancellationToken.None);

        await Pipeline(index).RunAsync([dir.File("big.jsonl")], prune: false, new Recording(reports), CancellationToken.None);

        var total = new FileInfo(dir.File("big.jsonl")).Length;
        Assert.All(reports, r => Assert.Equal(total, r.BytesTotal));
        Assert.True(reports[0].BytesRead < total / 2, $"the first report already says {reports[0].BytesRead} of {total} bytes");
        Assert.Equal(0, reports[0].FilesRead);
        Assert.Equal(reports.Select(r => r.BytesRead).Order(), reports.Select(r => r.BytesRead));
        Assert.Equal(total, reports[^1].BytesRead);
        Assert.Equal(1, reports[^1].FilesRead);
        Assert.Equal(3000, reports.Max(r => r.Articles));
    }

    private sealed class Recording(List<IngestionProgress> reports) : IProgress<IngestionProgress>
    {
        public void Report(IngestionProgress value)
        {
            lock (reports)
                reports.Add(value);
        }
    }

    private sealed class CancelAfter(CancellationTokenSource cancel, int articles) : IProgress<IngestionProgress>
    {
        public void Report(IngestionProgress value)
        {
            if (value.Articles >= articles)
                cancel.Cancel();
        }
    }
}
