using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Core.Text;
using SQLitePCL;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The embedded index: one SQLite file (WAL) holding articles, passages with their float32 vectors and search tokens,
/// and an FTS5 table over those tokens. Searches run in memory: on the first search (or <see cref="WarmUpAsync"/>)
/// every vector is loaded into one contiguous array and the tokens into an inverted index, both kept up to date by
/// this instance's writes and brought up to date when another process changes the file.
/// </summary>
/// <remarks>
/// Searches may run concurrently from any number of tasks; writes are serialised. Microsoft.Data.Sqlite runs its
/// "async" methods synchronously, so this class does its SQLite work synchronously and returns completed tasks.
/// </remarks>
public sealed class SqlitePassageIndex : IPassageIndex
{
    // Inside BeginBulk, articles are committed in groups of this many: large enough that FTS5 flushes few segments,
    // small enough that a crash loses seconds of work, never a half-written article.
    private const int BulkCommitArticles = 1000;

    private const int SpareHits = 16;

    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ReaderWriterLockSlim _memoryLock = new();
    private SqliteConnection? _connection;
    private Statements? _sql;
    private EmbedderDescriptor? _embedder;
    private MemoryIndex? _memory;
    private long _memoryDataVersion;
    private TermDictionary? _terms;
    private long _termsDataVersion;
    private byte[] _vectorBlob = [];
    private int _bulkDepth;
    private int _bulkPending;
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
    internal Action<int>? AfterPassageWritten { get; set; }

    /// <summary>How many dense searches of the loaded in-memory index needed the full float32 scan.</summary>
    internal long ExactFallbacks => _memory?.ExactFallbacks ?? 0;

    public Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return Run(() => Initialize(embedder), cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken) =>
        Run<IReadOnlyDictionary<string, IndexedArticleState>>(GetArticleStates, cancellationToken);

    public Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        return Run(() => Upsert(article, cancellationToken), cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articleIds);
        return Run(() => Delete(articleIds, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<PassageCandidate>> SearchAsync(PassageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Run<IReadOnlyList<PassageCandidate>>(() => Search(query, cancellationToken), cancellationToken);
    }

    public Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => Run(GetStatistics, cancellationToken);

    public Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken) =>
        Run<IReadOnlyList<string>>(() => GetSources(prefix, limit), cancellationToken);

    /// <summary>
    /// Loads the vectors and the lexical index into memory now rather than on the first search, so that a bot's first
    /// question is answered as fast as the rest.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) => Run(() =>
    {
        lock (_gate)
        {
            EnsureMemory(cancellationToken);
        }
    }, cancellationToken);

    /// <summary>
    /// Groups the writes made until the returned scope is disposed into transactions of many articles (each article in
    /// a savepoint of its own), which takes about a third off a large ingest: fewer FTS5 segments, fewer WAL frames.
    /// Every article stays whole: a failed upsert rolls back to its savepoint and leaves the article's previous
    /// version. A crash loses only the articles written since the last group commit (at most 1,000); their old
    /// versions remain, so the next ingest writes them again. While the scope is open this process holds the file's
    /// write lock, and other processes see the writes only at each group commit. Scopes nest; the outermost commits.
    /// </summary>
    public IDisposable BeginBulk()
    {
        lock (_gate)
        {
            var sql = Open();
            if (_bulkDepth == 0)
            {
                Execute(sql.Begin, "start a bulk write");
                _bulkPending = 0;
            }
            _bulkDepth++;
        }
        return new BulkScope(this);
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
            if (_sql is not null && _bulkDepth > 0)
            {
                _bulkDepth = 0;
                try
                {
                    _sql.Commit.ExecuteNonQuery();
                }
                catch (SqliteException)
                {
                    TryExecute(_sql.Rollback);
                    Log.BulkRolledBack(_logger, Location);
                }
            }
            _sql?.Dispose();
            _sql = null;
            // Pooling is off, so closing releases the file (and SQLite checkpoints and removes the -wal file).
            _connection?.Dispose();
            _connection = null;
        }
        _memoryLock.EnterWriteLock();
        _memory = null;
        _memoryLock.ExitWriteLock();
        return ValueTask.CompletedTask;
    }

    private void Initialize(EmbedderDescriptor embedder)
    {
        if (embedder.Dimensions <= 0 || string.IsNullOrWhiteSpace(embedder.Name))
            throw new ArgumentException($"The embedder must have a name and a positive dimension; got {embedder}.", nameof(embedder));
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The embedded index stores vectors as little-endian float32.");

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is not null)
            {
                if (_embedder != embedder)
                    throw new IndexMismatchException(Location, _embedder!, embedder);
                return;
            }

            CreateFolder();
            RefuseForeignFile();
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = Location,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            try
            {
                connection.Open();
                ExecuteScript(connection, Schema.NewFilePragmas);
                ExecuteScript(connection, Schema.ConnectionPragmas);
                var created = EnsureSchema(connection, embedder);
                _sql = new Statements(connection);
                _connection = connection;
                _embedder = embedder;
                _vectorBlob = new byte[embedder.Dimensions * sizeof(float)];
                if (created)
                    Log.Created(_logger, Location, embedder.ToString());
            }
            catch (SqliteException e)
            {
                connection.Dispose();
                throw SqliteFailure.Wrap(e, Location, "be opened");
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private void CreateFolder()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IndexUnavailableException(
                $"The folder for the index at {Location} could not be created ({e.Message}). Set Index:Path to a writable location.", e);
        }
    }

    /// <summary>Refuses a file that is not a SQLite database at all before SQLite gets a chance to misread it.</summary>
    private void RefuseForeignFile()
    {
        ReadOnlySpan<byte> header = "SQLite format 3\0"u8;
        try
        {
            using var file = new FileStream(Location, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length == 0)
                return;
            Span<byte> buffer = stackalloc byte[16];
            if (file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length || !buffer.SequenceEqual(header))
                throw SqliteFailure.NotAnIndex(Location);
        }
        catch (FileNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IndexUnavailableException($"The index at {Location} could not be read ({e.Message}). Check its permissions, or set Index:Path to another file.", e);
        }
    }

    /// <summary>Creates the tables in an empty file, or checks that an existing file is a NewsBot index built by <paramref name="embedder"/>.</summary>
    private bool EnsureSchema(SqliteConnection connection, EmbedderDescriptor embedder)
    {
        var created = false;
        if (CountTables(connection) == 0)
        {
            ExecuteScript(connection, "BEGIN IMMEDIATE");
            try
            {
                // Another process may have created the schema while this one waited for the write lock.
                if (CountTables(connection) == 0)
                {
                    ExecuteScript(connection, Schema.Create);
                    WriteMeta(connection, Schema.Keys.Format, Schema.Format);
                    WriteMeta(connection, Schema.Keys.SchemaVersion, Schema.Version.ToString(CultureInfo.InvariantCulture));
                    WriteMeta(connection, Schema.Keys.EmbedderName, embedder.Name);
                    WriteMeta(connection, Schema.Keys.EmbedderDimensions, embedder.Dimensions.ToString(CultureInfo.InvariantCulture));
                    created = true;
                }
                ExecuteScript(connection, "COMMIT");
            }
            catch
            {
                TryExecuteScript(connection, "ROLLBACK");
                throw;
            }
        }

        var (meta, tables) = ReadMeta(connection);
        if (meta is null || !meta.TryGetValue(Schema.Keys.Format, out var format) || format != Schema.Format)
            throw SqliteFailure.NotAnIndex(Location);
        if (tables < 5)
            throw SqliteFailure.Damaged(Location, "tables are missing");
        if (!meta.TryGetValue(Schema.Keys.SchemaVersion, out var versionText) || !int.TryParse(versionText, CultureInfo.InvariantCulture, out var version))
            throw SqliteFailure.Damaged(Location, "no schema version");
        if (version > Schema.Version)
        {
            throw new IndexUnavailableException(
                $"The index at {Location} was written by a newer NewsBot (schema {version}; this one reads schema {Schema.Version}). Upgrade NewsBot, or set Index:Path to another file.");
        }
        if (version < Schema.Version)
        {
            throw new IndexUnavailableException(
                $"The index at {Location} was written by an older NewsBot (schema {version}). Delete it and ingest again, or set Index:Path to a new file.");
        }

        if (meta.TryGetValue(Schema.Keys.EmbedderName, out var name) && meta.TryGetValue(Schema.Keys.EmbedderDimensions, out var dimensionsText))
        {
            if (!int.TryParse(dimensionsText, CultureInfo.InvariantCulture, out var dimensions))
                throw SqliteFailure.Damaged(Location, "unreadable embedder dimension");
            var existing = new EmbedderDescriptor(name, dimensions);
            if (existing != embedder)
                throw new IndexMismatchException(Location, existing, embedder);
        }
        else
        {
            WriteMeta(connection, Schema.Keys.EmbedderName, embedder.Name);
            WriteMeta(connection, Schema.Keys.EmbedderDimensions, embedder.Dimensions.ToString(CultureInfo.InvariantCulture));
        }
        return created;
    }

    private static long CountTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view')";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The meta table (null when there is none) and how many of the index's five tables exist.</summary>
    private static (Dictionary<string, string>? Meta, int Tables) ReadMeta(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'articles', 'terms', 'passages', 'passages_fts')";
        var tables = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                tables.Add(reader.GetString(0));
        }
        if (!tables.Contains("meta"))
            return (null, tables.Count);

        command.CommandText = "SELECT key, value FROM meta";
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
                meta[reader.GetString(0)] = reader.GetString(1);
        }
        catch (Exception e) when (e is SqliteException or InvalidCastException or InvalidOperationException)
        {
            // Someone else's table called meta.
            return (null, tables.Count);
        }
        return (meta, tables.Count);
    }

    private static void WriteMeta(SqliteConnection connection, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta(key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private IReadOnlyDictionary<string, IndexedArticleState> GetArticleStates()
    {
        lock (_gate)
        {
            Open();
            try
            {
                using var command = _connection!.CreateCommand();
                command.CommandText = "SELECT id, content_hash, origin FROM articles";
                using var reader = command.ExecuteReader();
                var states = new Dictionary<string, IndexedArticleState>(StringComparer.Ordinal);
                while (reader.Read())
                {
                    var id = reader.GetString(0);
                    states[id] = new IndexedArticleState(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                }
                return states;
            }
            catch (SqliteException e)
            {
                throw SqliteFailure.Wrap(e, Location, "be read");
            }
        }
    }

    private void Upsert(IndexedArticle indexed, CancellationToken cancellationToken)
    {
        var article = indexed.Article ?? throw new ArgumentException("The indexed article has no article.", nameof(indexed));
        var passages = indexed.Passages;
        if (string.IsNullOrEmpty(article.Id))
            throw new ArgumentException("The article has no id.", nameof(indexed));
        if (passages.Count != indexed.Vectors.Count)
            throw new ArgumentException($"Article {article.Id} has {passages.Count} passages but {indexed.Vectors.Count} vectors.", nameof(indexed));

        // The CPU work (tokens, normalised vectors) happens before taking the lock.
        var dimensions = Embedder.Dimensions;
        var tokens = new List<string>[passages.Count];
        var vectors = new float[passages.Count * dimensions];
        for (var i = 0; i < passages.Count; i++)
        {
            var passage = passages[i];
            if (passage.ArticleId != article.Id)
                throw new ArgumentException($"Passage {passage.Id} belongs to article {passage.ArticleId}, not {article.Id}.", nameof(indexed));
            var vector = indexed.Vectors[i].Span;
            if (vector.Length != dimensions)
            {
                throw new ArgumentException(
                    $"Passage {passage.Id} has a vector of {vector.Length} dimensions, but the index at {Location} holds {Embedder}.", nameof(indexed));
            }
            Normalize(vector, vectors.AsSpan(i * dimensions, dimensions), passage.Id);
            tokens[i] = SearchTokenizer.Tokenize(passage.SearchText);
        }
        var published = article.Published;
        var publishedText = published?.ToString("O", CultureInfo.InvariantCulture);
        var authors = JsonSerializer.Serialize(article.Authors, IndexJsonContext.Default.IReadOnlyListString);
        var rowids = new long[passages.Count];
        var terms = new byte[passages.Count][];

        lock (_gate)
        {
            var sql = Open();
            cancellationToken.ThrowIfCancellationRequested();
            long articleRowid;
            BeginArticle(sql);
            var dictionary = _terms;
            var termMark = dictionary?.NextId ?? 0;
            // The in-memory index can take this write only if it has seen every commit before it; otherwise the next
            // search brings it up to date with the file, this write included.
            var memoryCurrent = false;
            try
            {
                memoryCurrent = _memory is not null && DataVersion(sql) == _memoryDataVersion;
                dictionary = Terms(sql);
                termMark = dictionary.NextId;
                sql.ArticleId.Value = article.Id;
                sql.ArticleHash.Value = indexed.ContentHash ?? "";
                sql.ArticleOrigin.Value = (object?)article.Origin ?? DBNull.Value;
                sql.ArticleTitle.Value = article.Title ?? "";
                sql.ArticleSource.Value = (object?)article.Source ?? DBNull.Value;
                sql.ArticleUrl.Value = (object?)article.Url ?? DBNull.Value;
                sql.ArticlePublished.Value = (object?)publishedText ?? DBNull.Value;
                sql.ArticlePublishedUnix.Value = published is { } p ? p.ToUnixTimeSeconds() : DBNull.Value;
                sql.ArticleAuthors.Value = authors;
                articleRowid = (long)sql.UpsertArticle.ExecuteScalar()!;

                sql.DeletePassagesArticle.Value = articleRowid;
                sql.DeletePassages.ExecuteNonQuery();

                var handle = _connection!.Handle!;
                sql.PassageArticle.Value = articleRowid;
                for (var i = 0; i < passages.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var passage = passages[i];
                    var ids = new int[tokens[i].Count];
                    for (var t = 0; t < ids.Length; t++)
                        ids[t] = dictionary.GetOrAdd(tokens[i][t], sql.InsertTerm, sql.TermId, sql.Term);
                    terms[i] = TermCounts.Encode(ids);
                    // SQLite copies bound blobs, so one buffer serves every row.
                    MemoryMarshal.AsBytes(vectors.AsSpan(i * dimensions, dimensions)).CopyTo(_vectorBlob);
                    sql.PassageVector.Value = _vectorBlob;
                    sql.PassageTerms.Value = terms[i];
                    sql.PassageId.Value = passage.Id;
                    sql.PassageOrdinal.Value = passage.Ordinal;
                    sql.PassageStart.Value = passage.Start;
                    sql.PassageEnd.Value = passage.End;
                    sql.PassageText.Value = passage.Text;
                    sql.InsertPassage.ExecuteNonQuery();
                    rowids[i] = raw.sqlite3_last_insert_rowid(handle);
                    sql.TokensRowid.Value = rowids[i];
                    sql.Tokens.Value = string.Join(' ', tokens[i]);
                    sql.InsertTokens.ExecuteNonQuery();
                    AfterPassageWritten?.Invoke(i);
                }
            }
            catch (Exception e)
            {
                // The terms this article added are gone with its transaction.
                dictionary?.Truncate(termMark);
                AbandonArticle(sql);
                if (e is SqliteException sqlite)
                    throw SqliteFailure.Wrap(sqlite, Location, $"write article {article.Id}");
                throw;
            }
            CommitArticle(sql, $"write article {article.Id}");

            if (memoryCurrent && _memory is { } memory)
            {
                _memoryLock.EnterWriteLock();
                try
                {
                    memory.AddArticle(articleRowid, article.Source, published, rowids, vectors, terms);
                }
                finally
                {
                    _memoryLock.ExitWriteLock();
                }
                DropMemoryIfFragmented(memory);
            }
        }
    }

    private void Delete(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
            return;
        lock (_gate)
        {
            var sql = Open();
            cancellationToken.ThrowIfCancellationRequested();
            var removed = new List<long>();
            BeginArticle(sql);
            var memoryCurrent = false;
            try
            {
                memoryCurrent = _memory is not null && DataVersion(sql) == _memoryDataVersion;
                foreach (var id in articleIds)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (id is null)
                        continue;
                    sql.FindArticleId.Value = id;
                    if (sql.FindArticle.ExecuteScalar() is not long rowid)
                        continue;
                    sql.DeletePassagesArticle.Value = rowid;
                    sql.DeletePassages.ExecuteNonQuery();
                    sql.DeleteArticleRowid.Value = rowid;
                    sql.DeleteArticle.ExecuteNonQuery();
                    removed.Add(rowid);
                }
            }
            catch (Exception e)
            {
                AbandonArticle(sql);
                if (e is SqliteException sqlite)
                    throw SqliteFailure.Wrap(sqlite, Location, "delete articles");
                throw;
            }
            CommitArticle(sql, "delete articles");

            if (memoryCurrent && _memory is { } memory && removed.Count > 0)
            {
                _memoryLock.EnterWriteLock();
                try
                {
                    foreach (var rowid in removed)
                        memory.RemoveArticle(rowid);
                }
                finally
                {
                    _memoryLock.ExitWriteLock();
                }
                DropMemoryIfFragmented(memory);
            }
        }
    }

    private void BeginArticle(Statements sql) => Execute(_bulkDepth > 0 ? sql.Savepoint : sql.Begin, "start a write");

    private void CommitArticle(Statements sql, string action)
    {
        if (_bulkDepth == 0)
        {
            try
            {
                sql.Commit.ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                TryExecute(sql.Rollback);
                _terms = null;
                throw SqliteFailure.Wrap(e, Location, action);
            }
            return;
        }

        Execute(sql.Release, action);
        if (++_bulkPending >= BulkCommitArticles)
        {
            CommitBulk(sql, action);
            Execute(sql.Begin, "continue a bulk write");
        }
    }

    /// <summary>Undoes the current article's writes; in a bulk write, only back to the article's savepoint.</summary>
    private void AbandonArticle(Statements sql)
    {
        if (_bulkDepth == 0)
        {
            TryExecute(sql.Rollback);
            return;
        }
        TryExecute(sql.RollbackToSavepoint);
        TryExecute(sql.Release);
        // Some errors (a full disk, for one) make SQLite roll back the whole transaction, taking with it the articles
        // written since the last group commit; the in-memory index still holds them, so it must be rebuilt.
        if (raw.sqlite3_get_autocommit(_connection!.Handle) != 0)
        {
            Log.BulkRolledBack(_logger, Location);
            _memory = null;
            _terms = null;
            _bulkPending = 0;
            TryExecute(sql.Begin);
        }
    }

    private void CommitBulk(Statements sql, string action)
    {
        _bulkPending = 0;
        try
        {
            sql.Commit.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            TryExecute(sql.Rollback);
            Log.BulkRolledBack(_logger, Location);
            _memory = null;
            _terms = null;
            throw SqliteFailure.Wrap(e, Location, action);
        }
    }

    private void EndBulk()
    {
        lock (_gate)
        {
            if (_disposed || _bulkDepth == 0 || --_bulkDepth > 0)
                return;
            CommitBulk(_sql!, "finish a bulk write");
        }
    }

    private void DropMemoryIfFragmented(MemoryIndex memory)
    {
        if (!memory.IsFragmented)
            return;
        Log.Fragmented(_logger, Location, memory.DeadSlots, memory.Slots);
        _memory = null;
    }

    private List<PassageCandidate> Search(PassageQuery query, CancellationToken cancellationToken)
    {
        var embedder = Embedder;
        if (query.Vector.Length != embedder.Dimensions)
        {
            throw new ArgumentException(
                $"The query vector has {query.Vector.Length} dimensions, but the index at {Location} holds {embedder}.", nameof(query));
        }
        if (query.Limit <= 0)
            return [];
        var vector = new float[embedder.Dimensions];
        Normalize(query.Vector.Span, vector, "the query");

        MemoryIndex memory;
        var termIds = new List<int>();
        lock (_gate)
        {
            var sql = Open();
            memory = EnsureMemory(cancellationToken);
            var dictionary = _terms ?? Terms(sql);
            foreach (var term in query.Terms ?? [])
            {
                if (term is not null && dictionary.TryGetId(term, out var id))
                    termIds.Add(id);
            }
        }

        List<MemoryIndex.Hit> hits;
        _memoryLock.EnterReadLock();
        try
        {
            // A few spare hits stand in for passages that a write (here or in another process) removes between
            // the scan and the read of their text below.
            hits = memory.Search(vector, CollectionsMarshal.AsSpan(termIds), query.Filter ?? PassageFilter.None, query.Limit + SpareHits);
        }
        finally
        {
            _memoryLock.ExitReadLock();
        }

        var candidates = new List<PassageCandidate>(Math.Min(query.Limit, hits.Count));
        var next = 0;
        while (candidates.Count < query.Limit && next < hits.Count)
        {
            var batch = hits.GetRange(next, Math.Min(query.Limit - candidates.Count, hits.Count - next));
            next += batch.Count;
            Dictionary<long, Passage> passages;
            lock (_gate)
            {
                passages = ReadPassages(Open(), batch);
            }
            foreach (var hit in batch)
            {
                if (passages.TryGetValue(hit.Rowid, out var passage))
                    candidates.Add(new PassageCandidate(passage, hit.Score, hit.DenseRank, hit.LexicalRank, hit.Similarity));
            }
        }
        return candidates;
    }

    private Dictionary<long, Passage> ReadPassages(Statements sql, List<MemoryIndex.Hit> hits)
    {
        var ids = new StringBuilder("[");
        foreach (var hit in hits)
            ids.Append(hit.Rowid).Append(',');
        ids[^1] = ']';
        sql.ReadPassagesRowids.Value = ids.ToString();
        var passages = new Dictionary<long, Passage>(hits.Count);
        try
        {
            using var reader = sql.ReadPassages.ExecuteReader();
            while (reader.Read())
            {
                passages[reader.GetInt64(0)] = new Passage
                {
                    Id = reader.GetString(1),
                    Ordinal = reader.GetInt32(2),
                    Start = reader.GetInt32(3),
                    End = reader.GetInt32(4),
                    Text = reader.GetString(5),
                    ArticleId = reader.GetString(6),
                    Title = reader.GetString(7),
                    Source = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Url = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Published = reader.IsDBNull(10) ? null : ParsePublished(reader.GetString(10)),
                };
            }
        }
        catch (SqliteException e)
        {
            throw SqliteFailure.Wrap(e, Location, "be read");
        }
        return passages;
    }

    /// <summary>
    /// The in-memory index: loaded now if this is the first search, brought up to date if another process changed the
    /// file since. Call under the gate.
    /// </summary>
    private MemoryIndex EnsureMemory(CancellationToken cancellationToken)
    {
        var sql = Open();
        try
        {
            if (_memory is { } memory)
            {
                // data_version changes only when another connection commits, so this instance's own writes never count.
                if (DataVersion(sql) == _memoryDataVersion)
                    return memory;
                Log.ChangedOnDisk(_logger, Location);
                if (!memory.IsFragmented)
                {
                    Sync(sql, memory, cancellationToken);
                    if (!memory.IsFragmented)
                        return memory;
                }
                _memory = null;
            }
            _memory = Load(sql, cancellationToken);
            return _memory;
        }
        catch (SqliteException e)
        {
            throw SqliteFailure.Wrap(e, Location, "be loaded");
        }
    }

    /// <summary>
    /// Applies what other processes committed: articles that are gone, and passages written after
    /// <see cref="MemoryIndex.SyncedRowid"/> (an upsert always writes its passages anew, so a rewritten article shows up
    /// there with its new fields). Reads first and takes the write lock only to apply, so searches wait only for that.
    /// </summary>
    private void Sync(Statements sql, MemoryIndex memory, CancellationToken cancellationToken)
    {
        var connection = _connection!;
        var dimensions = Embedder.Dimensions;
        var ownTransaction = _bulkDepth == 0;
        if (ownTransaction)
            sql.BeginRead.ExecuteNonQuery();
        long version;
        Dictionary<long, (string? Source, DateTimeOffset? Published)> articles;
        var changed = new Dictionary<long, (List<long> Rowids, List<float> Vectors, List<byte[]> Terms)>();
        try
        {
            version = DataVersion(sql);
            Terms(sql);
            articles = ReadArticles(connection);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT rowid, article, vector, terms FROM passages WHERE rowid > $after ORDER BY rowid";
            command.Parameters.AddWithValue("$after", memory.SyncedRowid);
            using var reader = command.ExecuteReader();
            var blob = new byte[dimensions * sizeof(float)];
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var articleRowid = reader.GetInt64(1);
                if (!changed.TryGetValue(articleRowid, out var passages))
                    changed[articleRowid] = passages = ([], [], []);
                if (reader.GetBytes(2, 0, blob, 0, blob.Length) != blob.Length)
                    throw SqliteFailure.Damaged(Location, $"passage {reader.GetInt64(0)} has a vector of the wrong size");
                passages.Rowids.Add(reader.GetInt64(0));
                passages.Vectors.AddRange(MemoryMarshal.Cast<byte, float>(blob));
                passages.Terms.Add(reader.GetFieldValue<byte[]>(3));
            }
            if (ownTransaction)
                sql.Commit.ExecuteNonQuery();
        }
        catch
        {
            if (ownTransaction)
                TryExecute(sql.Rollback);
            throw;
        }

        _memoryLock.EnterWriteLock();
        try
        {
            foreach (var gone in memory.Articles.Where(a => !articles.ContainsKey(a)).ToList())
                memory.RemoveArticle(gone);
            foreach (var (articleRowid, passages) in changed)
            {
                if (articles.TryGetValue(articleRowid, out var article))
                {
                    memory.AddArticle(articleRowid, article.Source, article.Published, CollectionsMarshal.AsSpan(passages.Rowids),
                        CollectionsMarshal.AsSpan(passages.Vectors), passages.Terms);
                }
                memory.SyncedRowid = Math.Max(memory.SyncedRowid, passages.Rowids[^1]);
            }
        }
        finally
        {
            _memoryLock.ExitWriteLock();
        }
        _memoryDataVersion = version;
    }

    private static Dictionary<long, (string? Source, DateTimeOffset? Published)> ReadArticles(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, source, published FROM articles";
        using var reader = command.ExecuteReader();
        var articles = new Dictionary<long, (string? Source, DateTimeOffset? Published)>();
        while (reader.Read())
        {
            articles[reader.GetInt64(0)] = (
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : ParsePublished(reader.GetString(2)));
        }
        return articles;
    }

    private long DataVersion(Statements sql)
    {
        try
        {
            return (long)sql.DataVersion.ExecuteScalar()!;
        }
        catch (SqliteException e)
        {
            throw SqliteFailure.Wrap(e, Location, "be read");
        }
    }

    private MemoryIndex Load(Statements sql, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var connection = _connection!;
        var dimensions = Embedder.Dimensions;
        // One read transaction, so that articles, terms and passages are read from the same snapshot.
        var ownTransaction = _bulkDepth == 0;
        if (ownTransaction)
            sql.BeginRead.ExecuteNonQuery();
        try
        {
            var version = DataVersion(sql);
            var terms = Terms(sql);
            var articles = ReadArticles(connection);
            long passageCount;
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT count(*) FROM passages";
                passageCount = (long)command.ExecuteScalar()!;
            }

            // Head-room for a few appends before the arrays have to grow (and be copied).
            var memory = new MemoryIndex(dimensions, (int)Math.Min(passageCount + (passageCount / 16) + 1024, int.MaxValue), terms.NextId);
            var slotsByArticle = new Dictionary<long, List<int>>(articles.Count);
            var handle = connection.Handle!;
            // The raw API reads each vector and term list straight out of SQLite's page buffers, where the ADO.NET
            // reader would allocate two arrays per row.
            var rc = raw.sqlite3_prepare_v2(handle, "SELECT rowid, article, vector, terms FROM passages", out sqlite3_stmt statement);
            ThrowOnError(handle, rc);
            using (statement)
            {
                var rows = 0;
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    if ((++rows & 0xFFF) == 0)
                        cancellationToken.ThrowIfCancellationRequested();
                    var rowid = raw.sqlite3_column_int64(statement, 0);
                    var articleRowid = raw.sqlite3_column_int64(statement, 1);
                    var vector = raw.sqlite3_column_blob(statement, 2);
                    if (vector.Length != dimensions * sizeof(float))
                        throw SqliteFailure.Damaged(Location, $"passage {rowid} has a vector of {vector.Length} bytes, not {dimensions * sizeof(float)}");
                    if (!articles.TryGetValue(articleRowid, out var article))
                        continue;
                    var slot = memory.AddLoadedPassage(rowid, article.Source, article.Published, MemoryMarshal.Cast<byte, float>(vector), raw.sqlite3_column_blob(statement, 3));
                    if (!slotsByArticle.TryGetValue(articleRowid, out var slots))
                        slotsByArticle[articleRowid] = slots = new List<int>(8);
                    slots.Add(slot);
                }
                if (rc != raw.SQLITE_DONE)
                    ThrowOnError(handle, rc);
            }
            try
            {
                memory.CompleteLoad(slotsByArticle);
            }
            catch (InvalidDataException e)
            {
                throw SqliteFailure.Damaged(Location, e.Message);
            }
            if (ownTransaction)
                sql.Commit.ExecuteNonQuery();
            _memoryDataVersion = version;
            Log.Loaded(_logger, memory.Live, terms.NextId - 1, Location, stopwatch.ElapsedMilliseconds, memory.Bytes >> 20);
            return memory;
        }
        catch
        {
            if (ownTransaction)
                TryExecute(sql.Rollback);
            throw;
        }
    }

    /// <summary>The vocabulary, brought up to date with what other processes committed. Call inside a transaction.</summary>
    private TermDictionary Terms(Statements sql)
    {
        var version = DataVersion(sql);
        if (_terms is null || version != _termsDataVersion)
        {
            _terms ??= new TermDictionary();
            _terms.Refresh(_connection!);
            _termsDataVersion = version;
        }
        return _terms;
    }

    private static void ThrowOnError(sqlite3 handle, int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), rc, raw.sqlite3_extended_errcode(handle));
    }

    private IndexStatistics GetStatistics()
    {
        lock (_gate)
        {
            var sql = Open();
            try
            {
                using var command = _connection!.CreateCommand();
                command.CommandText = "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM passages)";
                long articles, passages;
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    articles = reader.GetInt64(0);
                    passages = reader.GetInt64(1);
                }
                var sources = ReadSources(command).Count;
                command.CommandText = "SELECT published FROM articles WHERE published_unix IS NOT NULL ORDER BY published_unix LIMIT 1";
                var oldest = command.ExecuteScalar() is string first ? ParsePublished(first) : (DateTimeOffset?)null;
                command.CommandText = "SELECT published FROM articles WHERE published_unix IS NOT NULL ORDER BY published_unix DESC LIMIT 1";
                var newest = command.ExecuteScalar() is string last ? ParsePublished(last) : (DateTimeOffset?)null;

                var details = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["file size"] = FormatSize(FileSize(Location) + FileSize(Location + "-wal")),
                };
                return new IndexStatistics(Location, articles, passages, sources, oldest, newest, Embedder, details);
            }
            catch (SqliteException e)
            {
                throw SqliteFailure.Wrap(e, Location, "be read");
            }
        }
    }

    private List<string> GetSources(string? prefix, int limit)
    {
        if (limit <= 0)
            return [];
        lock (_gate)
        {
            Open();
            try
            {
                using var command = _connection!.CreateCommand();
                var sources = ReadSources(command);
                if (!string.IsNullOrEmpty(prefix))
                    sources.RemoveAll(s => !s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
                if (sources.Count > limit)
                    sources.RemoveRange(limit, sources.Count - limit);
                return sources;
            }
            catch (SqliteException e)
            {
                throw SqliteFailure.Wrap(e, Location, "be read");
            }
        }
    }

    /// <summary>Distinct source names, case-insensitively (the first spelling met wins), sorted.</summary>
    private static List<string> ReadSources(SqliteCommand command)
    {
        command.CommandText = "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY source";
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var sources = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var source = reader.GetString(0);
                if (seen.Add(source))
                    sources.Add(source);
            }
        }
        sources.Sort(StringComparer.OrdinalIgnoreCase);
        return sources;
    }

    private Statements Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _sql ?? throw new InvalidOperationException($"Call InitializeAsync before using the index at {Location}.");
    }

    private EmbedderDescriptor Embedder
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _embedder ?? throw new InvalidOperationException($"Call InitializeAsync before using the index at {Location}.");
        }
    }

    private void Execute(SqliteCommand command, string action)
    {
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw SqliteFailure.Wrap(e, Location, action);
        }
    }

    private static void TryExecute(SqliteCommand command)
    {
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Cleaning up after a failure that is already being reported (SQLite may have rolled back by itself).
        }
    }

    private static void ExecuteScript(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL from Schema.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }

    private static void TryExecuteScript(SqliteConnection connection, string sql)
    {
        try
        {
            ExecuteScript(connection, sql);
        }
        catch (SqliteException)
        {
        }
    }

    /// <summary>Copies <paramref name="vector"/> scaled to unit length, so that a dot product is the cosine similarity.</summary>
    private static void Normalize(ReadOnlySpan<float> vector, Span<float> destination, string what)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm))
            throw new ArgumentException($"The vector of {what} holds a value that is not a finite number.");
        if (norm == 0)
            destination.Clear();
        else
            TensorPrimitives.Divide(vector, norm, destination);
    }

    private static DateTimeOffset ParsePublished(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static long FileSize(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private static string FormatSize(long bytes) =>
        bytes >= 1 << 20
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB");

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
