using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The embedded index: one SQLite file (WAL) holding articles and passages with their float32 vectors and lexical
/// terms. Searches run in memory: on the first search (or <see cref="WarmUpAsync"/>) every vector is loaded into one
/// contiguous array and the terms into an inverted index, both kept up to date by this instance's writes and brought
/// up to date when another process changes the file.
/// </summary>
/// <remarks>
/// <para>
/// A small facade over its parts: <see cref="IndexFile"/> opens and checks the file, <see cref="ArticleWriter"/>
/// writes articles and bulk scopes, <see cref="MemorySnapshot"/> loads and syncs what searches read, and
/// <see cref="IndexCatalog"/> reports what the file holds. This class owns the gate that serialises them.
/// </para>
/// <para>
/// Searches may run concurrently from any number of tasks; writes are serialised. Microsoft.Data.Sqlite runs its
/// "async" methods synchronously, so this class does its SQLite work synchronously and returns completed tasks.
/// </para>
/// </remarks>
public sealed class SqlitePassageIndex : IPassageIndex
{
    // A few spare hits stand in for passages that a write (here or in another process) removes between the scan of
    // the in-memory snapshot and the read of their text.
    private const int SpareHits = 16;

    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IndexSession? _session;
    private MemorySnapshot? _snapshot;
    private ArticleWriter? _writer;
    private IndexCatalog? _catalog;
    private Action<int>? _afterPassageWritten;
    private bool _disposed;

    public SqlitePassageIndex(SqliteIndexOptions options, ILogger<SqlitePassageIndex>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
            throw new ArgumentException("Index:Path must name the index file, for example newsbot.db.", nameof(options));
        Location = Path.GetFullPath(options.Path);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The full path of the index file.</summary>
    public string Location { get; }

    /// <summary>Test seam: called after each passage row is written, inside the article's transaction.</summary>
    internal Action<int>? AfterPassageWritten
    {
        get => _afterPassageWritten;
        set
        {
            _afterPassageWritten = value;
            if (_writer is not null)
                _writer.AfterPassageWritten = value;
        }
    }

    /// <summary>How many dense searches of the loaded in-memory index needed the full float32 scan.</summary>
    internal long ExactFallbacks => _snapshot?.ExactFallbacks ?? 0;

    public Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return Run(() => Initialize(embedder, readOnly: false), cancellationToken);
    }

    /// <summary>
    /// Opens an existing index file read-only (a mounted read-only volume included), creating no file or folder;
    /// <see cref="IndexNotFoundException"/> when there is no index at <see cref="Location"/>.
    /// </summary>
    public Task OpenForReadingAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return Run(() => Initialize(embedder, readOnly: true), cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken) =>
        Run(() => Locked(() => Catalog.GetArticleStates()), cancellationToken);

    public Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        return Run(() => Locked(() => Writer.Upsert(article, cancellationToken)), cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articleIds);
        return Run(() => Locked(() => Writer.Delete(articleIds, cancellationToken)), cancellationToken);
    }

    public Task<CandidateLists> SearchAsync(PassageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Run(() => Search(query, cancellationToken), cancellationToken);
    }

    public Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken) =>
        Run(() => Locked(() => Catalog.GetStatistics()), cancellationToken);

    public Task<IReadOnlyList<SourceSummary>> GetSourceSummariesAsync(CancellationToken cancellationToken) =>
        Run<IReadOnlyList<SourceSummary>>(() => Locked(() => Catalog.GetSourceSummaries()), cancellationToken);

    public Task<long> CountPassagesAsync(CancellationToken cancellationToken) =>
        Run(() => Locked(() => Catalog.CountPassages()), cancellationToken);

    public Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<string>>(() => Locked(() => Catalog.GetSources(prefix, limit)), cancellationToken);

    /// <summary>
    /// Loads the vectors and the lexical index into memory now rather than on the first search, so that a bot's first
    /// question is answered as fast as the rest.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        Run(() => Locked(() => Snapshot.EnsureLoaded(cancellationToken)), cancellationToken);

    /// <summary>
    /// Groups the writes made until the returned scope is disposed into transactions of many articles (each article in
    /// a savepoint of its own), which takes a good share off a large ingest: fewer WAL frames, fewer fsyncs.
    /// Every article stays whole: a failed upsert rolls back to its savepoint and leaves the article's previous
    /// version. A crash loses only the articles written since the last group commit (at most 1,000); their old
    /// versions remain, so the next ingest writes them again. While the scope is open this process holds the file's
    /// write lock, and other processes see the writes only at each group commit. Scopes nest; the outermost commits.
    /// </summary>
    public IDisposable BeginBulkWrite()
    {
        Locked(() => Writer.BeginBulk());
        return new BulkScope(this);
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
            _writer?.FinishOnClose();
            _session?.Dispose();
            _session = null;
        }
        _snapshot?.Drop();
        return ValueTask.CompletedTask;
    }

    private void Initialize(EmbedderDescriptor embedder, bool readOnly)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_session is not null)
            {
                if (_session.Embedder != embedder)
                    throw new IndexMismatchException(Location, _session.Embedder, embedder, IndexFile.MismatchRemedy);
                return;
            }
            var session = readOnly ? new IndexFile(Location).OpenReadOnly(embedder, _logger) : new IndexFile(Location).Open(embedder, _logger);
            _session = session;
            _snapshot = new MemorySnapshot(session);
            _writer = new ArticleWriter(session, _snapshot) { AfterPassageWritten = _afterPassageWritten };
            _catalog = new IndexCatalog(session);
        }
    }

    private CandidateLists Search(PassageQuery query, CancellationToken cancellationToken)
    {
        MemoryIndex memory;
        var termIds = new List<int>();
        float[] vector;
        lock (_gate)
        {
            var session = Session;
            var embedder = session.Embedder;
            if (query.Vector.Length != embedder.Dimensions)
            {
                throw new ArgumentException(
                    $"The query vector has {query.Vector.Length} dimensions, but the index at {Location} holds {embedder}.", nameof(query));
            }
            if (query.Depth <= 0)
                return CandidateLists.Empty;
            vector = new float[embedder.Dimensions];
            SqliteValues.Normalize(query.Vector.Span, vector, "the query");
            memory = Snapshot.EnsureLoaded(cancellationToken);
            var dictionary = session.CachedTerms ?? session.Terms();
            foreach (var term in query.Terms ?? [])
            {
                if (term is not null && dictionary.TryGetId(term, out var id) && !termIds.Contains(id))
                    termIds.Add(id);
            }
        }

        var (dense, lexical) = Snapshot.Search(memory, vector, CollectionsMarshal.AsSpan(termIds), query.Filter ?? PassageFilter.None, query.Depth + SpareHits);

        var rowids = new HashSet<long>();
        foreach (var hit in dense)
            rowids.Add(hit.Rowid);
        foreach (var hit in lexical)
            rowids.Add(hit.Rowid);
        if (rowids.Count == 0)
            return CandidateLists.Empty;
        Dictionary<long, Passage> passages;
        lock (_gate)
        {
            passages = Snapshot.ReadPassages(rowids);
        }
        return new CandidateLists(Resolve(dense, passages, query.Depth), Resolve(lexical, passages, query.Depth));
    }

    private static List<RankedPassage> Resolve(MemoryIndex.Hit[] hits, Dictionary<long, Passage> passages, int depth)
    {
        var list = new List<RankedPassage>(Math.Min(hits.Length, depth));
        foreach (var hit in hits)
        {
            if (list.Count == depth)
                break;
            if (passages.TryGetValue(hit.Rowid, out var passage))
                list.Add(new RankedPassage(passage, hit.Score));
        }
        return list;
    }

    private void EndBulk() => Locked(() =>
    {
        if (!_disposed)
            Writer.EndBulk();
    });

    private IndexSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session ?? throw new InvalidOperationException($"Call InitializeAsync before using the index at {Location}.");
        }
    }

    private MemorySnapshot Snapshot => Session is not null ? _snapshot! : throw new InvalidOperationException();

    private ArticleWriter Writer => Session is not null ? _writer! : throw new InvalidOperationException();

    private IndexCatalog Catalog => Session is not null ? _catalog! : throw new InvalidOperationException();

    private void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    private T Locked<T>(Func<T> function)
    {
        lock (_gate)
        {
            return function();
        }
    }

    private static Task Run(Action action, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled(cancellationToken);
        try
        {
            action();
            return Task.CompletedTask;
        }
        catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
        {
            return Task.FromCanceled(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private static Task<TResult> Run<TResult>(Func<TResult> function, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<TResult>(cancellationToken);
        try
        {
            return Task.FromResult(function());
        }
        catch (OperationCanceledException e) when (e.CancellationToken == cancellationToken)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<TResult>(e);
        }
    }

    private sealed class BulkScope(SqlitePassageIndex index) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                index.EndBulk();
        }
    }
}
