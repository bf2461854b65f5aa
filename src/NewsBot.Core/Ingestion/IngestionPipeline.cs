using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using NewsBot.Core.Articles;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Loads articles, skips the unchanged ones (content hash), splits and embeds the rest in batches and writes each
/// article to the index in one step. Loading runs ahead of embedding and writing on its own task, bounded, so a large
/// file is never held in memory whole. A cancelled run stops between articles: every written article is whole, and
/// the next run picks up the rest.
/// </summary>
public sealed class IngestionPipeline
{
    private const int ArticlesPerBatch = 64;

    private readonly ArticleLoader _loader;
    private readonly Chunker _chunker;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly EmbedderDescriptor _embedderDescriptor;
    private readonly IPassageIndex _index;
    private readonly string _settingsFingerprint;

    public IngestionPipeline(ArticleLoader loader, Chunker chunker, IEmbeddingGenerator<string, Embedding<float>> embedder, EmbedderDescriptor embedderDescriptor, IPassageIndex index, ChunkingOptions chunking)
    {
        _loader = loader;
        _chunker = chunker;
        _embedder = embedder;
        _embedderDescriptor = embedderDescriptor;
        _index = index;
        _settingsFingerprint = chunking.Fingerprint + "|" + embedderDescriptor;
    }

    public async Task<IngestionReport> RunAsync(IReadOnlyList<string> paths, bool prune, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _index.InitializeAsync(_embedderDescriptor, cancellationToken);
        var states = await _index.GetArticleStatesAsync(cancellationToken);
        var files = _loader.EnumerateFiles(paths);
        var tally = new Tally(files.Count) { BytesTotal = files.Sum(f => FileLength(f.FullPath)) };

        // A first pass learns each source's boilerplate from this run's articles (they stream; only short lines are kept).
        var boilerplate = await LearnBoilerplateAsync(paths, FileKeys(states), cancellationToken);

        var channel = Channel.CreateBounded<Pending>(new BoundedChannelOptions(ArticlesPerBatch * 4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(() => ProduceAsync(paths, states, boilerplate, tally, channel.Writer, progress, stop.Token), stop.Token);
        var cancelled = false;
        try
        {
            await ConsumeAsync(channel.Reader, tally, progress, stop.Token);
            await producer;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }
        }
        catch
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (Exception)
            {
                // The consumer's failure is the one to report.
            }
            throw;
        }

        var pruned = 0;
        if (prune && !cancelled)
        {
            var gone = PruneCandidates(states, paths, tally);
            if (gone.Count > 0)
            {
                await _index.DeleteAsync(gone, cancellationToken);
                pruned = gone.Count;
            }
        }

        return new IngestionReport
        {
            Added = tally.Added,
            Updated = tally.Updated,
            Unchanged = tally.Unchanged,
            Pruned = pruned,
            Passages = tally.Passages,
            Skipped = tally.Skips,
            Warnings = tally.Warnings,
            Elapsed = clock.Elapsed,
            Cancelled = cancelled,
        };
    }

    private async Task ProduceAsync(IReadOnlyList<string> paths, IReadOnlyDictionary<string, IndexedArticleState> states, Boilerplate boilerplate, Tally tally, ChannelWriter<Pending> writer, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            string? lastFile = null;
            await foreach (var result in _loader.LoadAsync(paths, cancellationToken, FileKeys(states)))
            {
                if (!string.Equals(result.File, lastFile, StringComparison.Ordinal))
                {
                    // A file counts as read when the loader moves past it, not when its first article arrives.
                    if (lastFile is not null)
                        FinishFile(tally, lastFile);
                    lastFile = result.File;
                }
                if (result.Position is { } position)
                    Interlocked.Exchange(ref tally.BytesRead, tally.BytesDone + position);
                if (Admit(result, states, boilerplate, tally, progress) is { } pending)
                    await writer.WriteAsync(pending, cancellationToken);
            }
            if (lastFile is not null)
                FinishFile(tally, lastFile);
            Report(progress, tally, null);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>
    /// Ingests articles that were loaded elsewhere (fetched feeds and pages): the same skip, change check, chunking,
    /// embedding and one-transaction-per-article write as files. Their ids are URLs, so nothing is pruned.
    /// </summary>
    public async Task<IngestionReport> IngestAsync(IReadOnlyList<LoadResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var clock = Stopwatch.StartNew();
        await _index.InitializeAsync(_embedderDescriptor, cancellationToken);
        var states = await _index.GetArticleStatesAsync(cancellationToken);
        var boilerplate = Boilerplate.Learn([.. results.Where(r => r.Article is not null).Select(r => r.Article!)]);
        var tally = new Tally(0);
        var batch = new List<Pending>(ArticlesPerBatch);
        var cancelled = false;
        try
        {
            foreach (var result in results)
            {
                if (Admit(result, states, boilerplate, tally, null) is { } pending)
                    batch.Add(pending);
                if (batch.Count == ArticlesPerBatch)
                {
                    await WriteBatchAsync(batch, tally, null, cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
                await WriteBatchAsync(batch, tally, null, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        return new IngestionReport
        {
            Added = tally.Added,
            Updated = tally.Updated,
            Unchanged = tally.Unchanged,
            Passages = tally.Passages,
            Skipped = tally.Skips,
            Warnings = tally.Warnings,
            Elapsed = clock.Elapsed,
            Cancelled = cancelled,
        };
    }

    /// <summary>One loaded result: counted, and returned for writing unless it is a skip, a duplicate or unchanged.</summary>
    private Pending? Admit(LoadResult result, IReadOnlyDictionary<string, IndexedArticleState> states, Boilerplate boilerplate, Tally tally, IProgress<IngestionProgress>? progress)
    {
        Interlocked.Increment(ref tally.Loaded);
        if (result.Skip is { } skip)
        {
            tally.AddSkip(skip);
            tally.FileWithSkip.Add(skip.File);
            if (skip.Line is null)
                tally.FilesFailed.Add(skip.File);
            return null;
        }
        var article = boilerplate.Clean(result.Article!);
        if (result.Warning is { } warning)
            tally.Warnings.Add(new LoadSkip(result.File, result.Line, warning));
        if (!tally.Seen.TryAdd(article.Id, result.File))
        {
            tally.AddSkip(new LoadSkip(result.File, null, $"duplicate article id '{article.Id}' (first seen in {tally.Seen[article.Id]})"));
            return null;
        }
        var hash = IndexedArticle.ComputeHash(article, _settingsFingerprint);
        if (states.TryGetValue(article.Id, out var state) && state.ContentHash == hash)
        {
            Interlocked.Increment(ref tally.Unchanged);
            Report(progress, tally, result.File);
            return null;
        }
        var passages = _chunker.Split(article);
        if (passages.Count == 0)
        {
            tally.AddSkip(new LoadSkip(result.File, null, $"article '{article.Id}' has no text"));
            return null;
        }
        return new Pending(article, hash, passages, states.ContainsKey(article.Id));
    }

    private async Task ConsumeAsync(ChannelReader<Pending> reader, Tally tally, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var batch = new List<Pending>(ArticlesPerBatch);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < ArticlesPerBatch && reader.TryRead(out var item))
                batch.Add(item);
            if (batch.Count < ArticlesPerBatch && !reader.Completion.IsCompleted)
                continue;
            await WriteBatchAsync(batch, tally, progress, cancellationToken);
            batch.Clear();
        }
        if (batch.Count > 0)
            await WriteBatchAsync(batch, tally, progress, cancellationToken);
    }

    private async Task WriteBatchAsync(List<Pending> batch, Tally tally, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var texts = batch.SelectMany(p => p.Passages.Select(x => x.SearchText)).ToList();
        var embeddings = await _embedder.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (embeddings.Count != texts.Count)
            throw new InvalidOperationException($"The embedder returned {embeddings.Count} vectors for {texts.Count} passages.");
        var offset = 0;
        foreach (var pending in batch)
        {
            var vectors = new ReadOnlyMemory<float>[pending.Passages.Count];
            for (var i = 0; i < vectors.Length; i++)
            {
                var vector = embeddings[offset + i].Vector;
                if (vector.Length != _embedderDescriptor.Dimensions)
                    throw new IndexMismatchException($"The embedder returned vectors of {vector.Length} dimensions, but {_embedderDescriptor} is configured: the embedder's declared dimension must be the size of the vectors it returns.");
                vectors[i] = vector;
            }
            offset += vectors.Length;
            // Cancellation is honoured between articles, never inside one: each upsert is one transaction.
            cancellationToken.ThrowIfCancellationRequested();
            await _index.UpsertAsync(new IndexedArticle(pending.Article, pending.Hash, pending.Passages, vectors), CancellationToken.None);
            if (pending.Replaces)
                Interlocked.Increment(ref tally.Updated);
            else
                Interlocked.Increment(ref tally.Added);
            Interlocked.Add(ref tally.Passages, pending.Passages.Count);
            Report(progress, tally, pending.Article.Origin);
        }
    }

    /// <summary>
    /// Articles to remove: those from a file under the given paths that this run did not produce, either because the
    /// file is gone or because it no longer holds them. Articles of a file that failed to load are kept (no data is
    /// lost to a transient read error), and so are articles from other folders.
    /// </summary>
    private static List<string> PruneCandidates(IReadOnlyDictionary<string, IndexedArticleState> states, IReadOnlyList<string> paths, Tally tally)
    {
        // The scope is what the user named: a folder covers the files under it, a file only itself.
        var roots = paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).Distinct(StringComparer.Ordinal).ToList();
        var gone = new List<string>();
        foreach (var (id, state) in states)
        {
            if (tally.Seen.ContainsKey(id) || state.Origin is null)
                continue;
            if (!roots.Any(r => IsUnder(state.Origin, r)))
                continue;
            if (File.Exists(state.Origin) && (tally.FilesFailed.Contains(state.Origin) || tally.FileWithSkip.Contains(state.Origin)))
                continue;
            gone.Add(id);
        }
        return gone;
    }

    private static bool IsUnder(string path, string root)
    {
        if (string.Equals(path, root, StringComparison.Ordinal))
            return true;
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    private async Task<Boilerplate> LearnBoilerplateAsync(IReadOnlyList<string> paths, IReadOnlyDictionary<string, string> fileKeys, CancellationToken cancellationToken)
    {
        var articles = new List<Article>();
        await foreach (var result in _loader.LoadAsync(paths, cancellationToken, fileKeys))
        {
            if (result.Article is { } article)
                articles.Add(article with { Text = ShortParagraphs(article.Text) });
        }
        return Boilerplate.Learn(articles);

        // Only short paragraphs can be furniture, so only they are kept in memory for the count.
        static string ShortParagraphs(string text) =>
            string.Join("\n\n", text.Split("\n\n").Where(p => p.Length <= 160));
    }

    /// <summary>
    /// For every indexed article that came from a file, the relative path its id was made from (the id up to '#',
    /// when the file's full path ends with it), so the same file reached another way keeps its ids.
    /// </summary>
    internal static Dictionary<string, string> FileKeys(IReadOnlyDictionary<string, IndexedArticleState> states)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, state) in states)
        {
            if (state.Origin is not { Length: > 0 } origin || keys.ContainsKey(origin))
                continue;
            var hash = id.LastIndexOf('#');
            var key = hash > 0 ? id[..hash] : id;
            var normalized = origin.Replace('\\', '/');
            if (key.Length > 0 && (normalized == key || normalized.EndsWith("/" + key.Replace('\\', '/'), StringComparison.Ordinal)))
                keys[origin] = key;
        }
        return keys;
    }

    private static void Report(IProgress<IngestionProgress>? progress, Tally tally, string? file) =>
        progress?.Report(new IngestionProgress(tally.FilesRead, tally.FilesTotal, tally.Added + tally.Updated + tally.Unchanged, tally.SkipCount, file)
        {
            BytesRead = Interlocked.Read(ref tally.BytesRead),
            BytesTotal = tally.BytesTotal,
            Loaded = Volatile.Read(ref tally.Loaded),
            Passages = Volatile.Read(ref tally.Passages),
        });

    private static void FinishFile(Tally tally, string file)
    {
        Interlocked.Increment(ref tally.FilesRead);
        tally.BytesDone += FileLength(file);
        Interlocked.Exchange(ref tally.BytesRead, tally.BytesDone);
    }

    private static long FileLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private sealed record Pending(Article Article, string Hash, IReadOnlyList<Passage> Passages, bool Replaces);

    private sealed class Tally(int filesTotal)
    {
        private readonly List<LoadSkip> _skips = [];

        public readonly int FilesTotal = filesTotal;
        public readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Seen = new(StringComparer.Ordinal);
        public int FilesRead;
        public long BytesTotal;
        public long BytesDone;
        public long BytesRead;
        public int Loaded;
        public int Added;
        public int Updated;
        public int Unchanged;
        public int Passages;

        public HashSet<string> FilesFailed { get; } = new(StringComparer.Ordinal);

        public HashSet<string> FileWithSkip { get; } = new(StringComparer.Ordinal);

        public int SkipCount
        {
            get
            {
                lock (_skips)
                    return _skips.Count;
            }
        }

        public IReadOnlyList<LoadSkip> Skips
        {
            get
            {
                lock (_skips)
                    return _skips.ToList();
            }
        }

        /// <summary>Warnings about articles that were loaded (the producer alone writes them).</summary>
        public List<LoadSkip> Warnings { get; } = [];

        public void AddSkip(LoadSkip skip)
        {
            lock (_skips)
                _skips.Add(skip);
        }
    }
}
