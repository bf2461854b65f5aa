using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NewsBot.Core.Articles;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Core.Text;
using NewsBot.Storage.Sqlite;
using NewsBot.TestSupport;
using Xunit.Abstractions;

namespace NewsBot.Index.Tests;

/// <summary>
/// Ingests a collection the size of the project's news corpus (24k articles, about 150k passages of 384 dimensions)
/// and times ingest and search against the targets: ingest under 40 s, search p95 under 15 ms, memory well under
/// 1.5 GB. Synthetic by default (Zipf-distributed pseudo-words, random unit vectors); set NEWSBOT_SCALE_CORPUS to a
/// news-corpus.jsonl.gz to use real text instead. NEWSBOT_SCALE_ARTICLES and NEWSBOT_SCALE_DIMENSIONS change the size.
/// </summary>
[Trait("Category", "Scale")]
public sealed class ScaleTests(ITestOutputHelper output) : IDisposable
{
    private const int PassageChars = 900;
    private static readonly DateTimeOffset Epoch = new(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Sources = ["USA TODAY", "CNN", "The Week"];

    private readonly TempDirectory _temp = new();

    [ScaleFact]
    public Task Ingest_one_article_per_transaction_then_search() => RunAsync(bulk: false);

    [ScaleFact]
    public Task Ingest_in_bulk_then_search() => RunAsync(bulk: true);

    public void Dispose() => _temp.Dispose();

    private async Task RunAsync(bool bulk)
    {
        var articleCount = EnvInt("NEWSBOT_SCALE_ARTICLES", 24_000);
        var dimensions = EnvInt("NEWSBOT_SCALE_DIMENSIONS", 384);
        var corpus = Environment.GetEnvironmentVariable("NEWSBOT_SCALE_CORPUS");
        var embedder = new EmbedderDescriptor("scale-random", dimensions);
        var path = _temp.File("scale.db");
        var random = new Random(20240601);
        var texts = corpus is { Length: > 0 } ? RealTexts(corpus) : SyntheticTexts(new Random(7));
        var sampleTexts = new List<string>();

        var upsertTime = TimeSpan.Zero;
        var wall = Stopwatch.StartNew();
        long passages = 0;
        var index = new SqlitePassageIndex(new SqliteIndexOptions { Path = path });
        await using (index)
        {
            await index.InitializeAsync(embedder, CancellationToken.None);
            var scope = bulk ? index.BeginBulkWrite() : null;
            var n = 0;
            foreach (var text in texts.Take(articleCount))
            {
                var article = MakeArticle(n, text, dimensions, random);
                passages += article.Passages.Count;
                if (n % 97 == 0)
                    sampleTexts.Add(article.Passages[0].Text);
                var sw = Stopwatch.StartNew();
                await index.UpsertAsync(article, CancellationToken.None);
                upsertTime += sw.Elapsed;
                n++;
            }
            var commit = Stopwatch.StartNew();
            scope?.Dispose();
            upsertTime += commit.Elapsed;
            articleCount = n;
        }
        wall.Stop();
        var fileSize = new FileInfo(path).Length;
        output.WriteLine($"ingest ({(bulk ? "bulk" : "one transaction per article")}): {articleCount:N0} articles, {passages:N0} passages of {dimensions} dimensions");
        output.WriteLine($"  upsert time {upsertTime.TotalSeconds:F1} s ({passages / upsertTime.TotalSeconds:N0} passages/s), wall clock incl. data generation {wall.Elapsed.TotalSeconds:F1} s, file {fileSize / 1048576.0:N0} MB");

        // A fresh instance, as a new process would open it.
        GC.Collect();
        var reopened = new SqlitePassageIndex(new SqliteIndexOptions { Path = path });
        await using (reopened)
        {
            await reopened.InitializeAsync(embedder, CancellationToken.None);
            var queries = sampleTexts.Select((t, i) => MakeQuery(t, dimensions, random, filtered: i % 2 == 0)).ToList();

            var load = Stopwatch.StartNew();
            await reopened.SearchAsync(queries[0], CancellationToken.None);
            load.Stop();
            output.WriteLine($"first search (loads vectors and lexical index): {load.Elapsed.TotalMilliseconds:N0} ms");

            for (var i = 0; i < 20; i++)
                await reopened.SearchAsync(queries[i % queries.Count], CancellationToken.None);
            // Three rounds, judged by the best: the machine may be busy with other work for part of the run.
            var bestP95 = double.MaxValue;
            var process = Process.GetCurrentProcess();
            for (var round = 1; round <= 3; round++)
            {
                var times = new List<double>();
                var lexicalHits = 0;
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                foreach (var query in queries)
                {
                    var sw = Stopwatch.StartNew();
                    var results = await reopened.SearchAsync(query, CancellationToken.None);
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    lexicalHits += results.Lexical.Count;
                }
                process.Refresh();
                times.Sort();
                var p50 = times[times.Count / 2];
                var p95 = times[(int)(times.Count * 0.95)];
                bestP95 = Math.Min(bestP95, p95);
                output.WriteLine(
                    $"search round {round}, {queries.Count} queries (half with an as-of filter, limit 40): p50 {p50:F2} ms, p95 {p95:F2} ms, max {times[^1]:F2} ms, " +
                    $"CPU {(process.TotalProcessorTime - cpu).TotalMilliseconds / queries.Count:F2} ms/query; {lexicalHits / (double)queries.Count:F1} lexical hits per query");
            }

            output.WriteLine($"dense searches that needed the float32 fallback: {reopened.ExactFallbacks}");
            process.Refresh();
            output.WriteLine($"memory: managed heap {GC.GetTotalMemory(false) / 1048576.0:N0} MB, working set {process.WorkingSet64 / 1048576.0:N0} MB, peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MB");

            Assert.True(bestP95 <= 15, $"search p95 {bestP95:F1} ms exceeds 15 ms");
            Assert.True(process.PeakWorkingSet64 < 1536L << 20, "peak working set exceeds 1.5 GB");
        }
        Assert.True(upsertTime.TotalSeconds <= 40 * articleCount / 24_000.0, $"ingest took {upsertTime.TotalSeconds:F1} s");
    }

    private static IndexedArticle MakeArticle(int n, string text, int dimensions, Random random)
    {
        var article = new Article
        {
            Id = $"scale-{n:000000}",
            Title = $"Article {n}",
            Text = text,
            Source = Sources[n % Sources.Length],
            Url = $"https://news.example/{n}",
            Published = n % 50 == 0 ? null : Epoch.AddHours(n * 2.2),
            Origin = "/data/scale.jsonl",
        };
        var passages = new List<Passage>();
        var vectors = new List<ReadOnlyMemory<float>>();
        for (var start = 0; start < text.Length;)
        {
            var end = Math.Min(text.Length, start + PassageChars);
            if (end < text.Length)
            {
                var space = text.LastIndexOf(' ', end, Math.Min(200, end - start));
                if (space > start)
                    end = space;
            }
            passages.Add(new Passage
            {
                Id = Passage.MakeId(article.Id, passages.Count),
                ArticleId = article.Id,
                Ordinal = passages.Count,
                Start = start,
                End = end,
                Text = text[start..end],
                Title = article.Title,
                Source = article.Source,
                Url = article.Url,
                Published = article.Published,
            });
            vectors.Add(RandomUnitVector(dimensions, random));
            start = end;
        }
        return new IndexedArticle(article, IndexedArticle.ComputeHash(article, "scale"), passages, vectors);
    }

    private static PassageQuery MakeQuery(string passageText, int dimensions, Random random, bool filtered)
    {
        // A question shares a handful of words with the passage that answers it.
        var words = passageText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var picked = Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)]).ToList();
        var text = string.Join(' ', picked);
        var filter = filtered
            ? new PassageFilter { To = Epoch.AddDays(random.Next(100, 2000)), IncludeUndated = true }
            : PassageFilter.None;
        return new PassageQuery(text, SearchTokenizer.Tokenize(text), RandomUnitVector(dimensions, random), filter, 40);
    }

    private static float[] RandomUnitVector(int dimensions, Random random)
    {
        var vector = new float[dimensions];
        var norm = 0f;
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = random.NextSingle() - 0.5f;
            norm += vector[i] * vector[i];
        }
        norm = MathF.Sqrt(norm);
        for (var i = 0; i < dimensions; i++)
            vector[i] /= norm;
        return vector;
    }

    /// <summary>Articles of 5,000 characters on average, words drawn from a Zipf distribution like a news vocabulary.</summary>
    private static IEnumerable<string> SyntheticTexts(Random random)
    {
        const int Vocabulary = 60_000;
        string[] syllables = ["ka", "lo", "mi", "ne", "ra", "tu", "vo", "sha", "ber", "don", "gal", "pri", "ste", "qua", "zen", "fir"];
        var words = new string[Vocabulary];
        for (var i = 0; i < Vocabulary; i++)
        {
            var builder = new StringBuilder();
            for (var x = i + 1; x > 0; x /= syllables.Length)
                builder.Append(syllables[x % syllables.Length]);
            words[i] = builder.ToString();
        }
        var cumulative = new double[Vocabulary];
        var sum = 0.0;
        for (var i = 0; i < Vocabulary; i++)
            cumulative[i] = sum += 1.0 / (i + 1);

        while (true)
        {
            var length = 1500 + random.Next(7000);
            var builder = new StringBuilder(length + 20);
            while (builder.Length < length)
            {
                var rank = Array.BinarySearch(cumulative, random.NextDouble() * sum);
                builder.Append(words[rank < 0 ? ~rank : rank]).Append(' ');
            }
            yield return builder.ToString();
        }
    }

    private static IEnumerable<string> RealTexts(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.GetProperty("text").GetString() is { Length: > 0 } text)
                yield return text;
        }
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;
}
