using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using SQLitePCL;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The in-memory copy of what a search reads (<see cref="MemoryIndex"/>): loaded from the file on the first search or
/// warm-up, kept up to date by this process's writes, and brought up to date when another process commits. Searches
/// read it under a shared lock; applying a write takes the lock exclusively only for the change itself.
/// </summary>
internal sealed class MemorySnapshot(IndexSession session)
{
    private readonly IndexSession _session = session;
    private readonly ReaderWriterLockSlim _lock = new();
    private MemoryIndex? _memory;
    private long _memoryDataVersion;

    private string Location => _session.Location;

    /// <summary>How many dense searches of the loaded index needed the full float32 scan.</summary>
    public long ExactFallbacks => _memory?.ExactFallbacks ?? 0;

    /// <summary>True when the loaded copy has seen every commit so far, so a write can be applied to it directly. Call inside the write's transaction.</summary>
    public bool IsCurrent() => _memory is not null && _session.DataVersion() == _memoryDataVersion;

    /// <summary>Applies a write this process just committed (only when <see cref="IsCurrent"/> said so before it).</summary>
    public void Apply(Action<MemoryIndex> change)
    {
        if (_memory is not { } memory)
            return;
        _lock.EnterWriteLock();
        try
        {
            change(memory);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        if (memory.IsFragmented)
        {
            Log.Fragmented(_session.Logger, Location, memory.DeadSlots, memory.Slots);
            _memory = null;
        }
    }

    /// <summary>Forgets the loaded copy; the next search loads the file again.</summary>
    public void Drop()
    {
        _lock.EnterWriteLock();
        _memory = null;
        _lock.ExitWriteLock();
    }

    /// <summary>Loads or syncs the copy now. Call under the facade's gate.</summary>
    public MemoryIndex EnsureLoaded(CancellationToken cancellationToken) => EnsureMemory(cancellationToken);

    /// <summary>Both candidate lists from <paramref name="memory"/>, read under the shared lock.</summary>
    public (MemoryIndex.Hit[] Dense, MemoryIndex.Hit[] Lexical) Search(MemoryIndex memory, ReadOnlySpan<float> vector, ReadOnlySpan<int> terms, PassageFilter filter, int depth)
    {
        _lock.EnterReadLock();
        try
        {
            return memory.Search(vector, terms, filter, depth);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The passages with these rowids (those still in the file), with their article fields. Call under the facade's gate.</summary>
    public Dictionary<long, Passage> ReadPassages(IReadOnlyCollection<long> rowids)
    {
        var ids = new StringBuilder("[");
        foreach (var rowid in rowids)
            ids.Append(rowid).Append(',');
        ids[^1] = ']';
        _session.Sql.ReadPassagesRowids.Value = ids.ToString();
        var passages = new Dictionary<long, Passage>(rowids.Count);
        try
        {
            using var reader = _session.Sql.ReadPassages.ExecuteReader();
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
                    Published = reader.IsDBNull(10) ? null : SqliteValues.ParsePublished(reader.GetString(10)),
                    Authors = SqliteValues.ParseAuthors(reader.IsDBNull(11) ? null : reader.GetString(11)),
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
    /// file since. Call under the facade's gate.
    /// </summary>
    private MemoryIndex EnsureMemory(CancellationToken cancellationToken)
    {
        var sql = _session.Sql;
        try
        {
            if (_memory is { } memory)
            {
                // data_version changes only when another connection commits, so this instance's own writes never count.
                if (_session.DataVersion() == _memoryDataVersion)
                    return memory;
                Log.ChangedOnDisk(_session.Logger, Location);
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
        var connection = _session.Connection;
        var dimensions = _session.Embedder.Dimensions;
        var ownTransaction = !_session.InBulk;
        if (ownTransaction)
            sql.BeginRead.ExecuteNonQuery();
        long version;
        Dictionary<long, (string? Source, DateTimeOffset? Published, IReadOnlyList<string> Authors)> articles;
        var changed = new Dictionary<long, (List<long> Rowids, List<float> Vectors, List<byte[]> Terms)>();
        try
        {
            version = _session.DataVersion();
            _session.Terms();
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
                IndexSession.TryExecute(sql.Rollback);
            throw;
        }

        _lock.EnterWriteLock();
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
                    memory.SetAuthors(articleRowid, article.Authors);
                }
                memory.SyncedRowid = Math.Max(memory.SyncedRowid, passages.Rowids[^1]);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
        _memoryDataVersion = version;
    }

    private static Dictionary<long, (string? Source, DateTimeOffset? Published, IReadOnlyList<string> Authors)> ReadArticles(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, source, published, authors FROM articles";
        using var reader = command.ExecuteReader();
        var articles = new Dictionary<long, (string? Source, DateTimeOffset? Published, IReadOnlyList<string> Authors)>();
        while (reader.Read())
        {
            articles[reader.GetInt64(0)] = (
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : SqliteValues.ParsePublished(reader.GetString(2)),
                SqliteValues.ParseAuthors(reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return articles;
    }

    private MemoryIndex Load(Statements sql, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var connection = _session.Connection;
        var dimensions = _session.Embedder.Dimensions;
        // One read transaction, so that articles, terms and passages are read from the same snapshot.
        var ownTransaction = !_session.InBulk;
        if (ownTransaction)
            sql.BeginRead.ExecuteNonQuery();
        try
        {
            var version = _session.DataVersion();
            var terms = _session.Terms();
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
                    var slot = memory.AddLoadedPassage(rowid, articleRowid, article.Source, article.Published, MemoryMarshal.Cast<byte, float>(vector), raw.sqlite3_column_blob(statement, 3));
                    if (!slotsByArticle.TryGetValue(articleRowid, out var slots))
                        slotsByArticle[articleRowid] = slots = new List<int>(8);
                    slots.Add(slot);
                }
                if (rc != raw.SQLITE_DONE)
                    ThrowOnError(handle, rc);
            }
            foreach (var (articleRowid, article) in articles)
            {
                if (article.Authors.Count > 0)
                    memory.SetAuthors(articleRowid, article.Authors);
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
            Log.Loaded(_session.Logger, memory.Live, terms.NextId - 1, Location, stopwatch.ElapsedMilliseconds, memory.Bytes >> 20);
            return memory;
        }
        catch
        {
            if (ownTransaction)
                IndexSession.TryExecute(sql.Rollback);
            throw;
        }
    }

    private static void ThrowOnError(sqlite3 handle, int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), rc, raw.sqlite3_extended_errcode(handle));
    }

}
