using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NewsBot.Core.Indexing;
using SQLitePCL;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// Writes and deletes articles, each in a transaction of its own, or in a savepoint of its own inside a bulk write
/// (group commits of <see cref="BulkCommitArticles"/> articles), and applies what it committed to the in-memory
/// snapshot. Every call is made under the facade's gate.
/// </summary>
internal sealed class ArticleWriter(IndexSession session, MemorySnapshot snapshot)
{
    // Inside a bulk write, articles are committed in groups of this many: large enough that the WAL takes few large
    // writes, small enough that a crash loses seconds of work, never a half-written article.
    private const int BulkCommitArticles = 1000;

    private readonly IndexSession _session = session;
    private readonly MemorySnapshot _snapshot = snapshot;
    private int _bulkPending;

    private string Location => _session.Location;

    /// <summary>Test seam: called after each passage row is written, inside the article's transaction.</summary>
    public Action<int>? AfterPassageWritten { get; set; }

    public void Upsert(IndexedArticle indexed, CancellationToken cancellationToken)
    {
        var article = indexed.Article ?? throw new ArgumentException("The indexed article has no article.", nameof(indexed));
        var passages = indexed.Passages;
        if (string.IsNullOrEmpty(article.Id))
            throw new ArgumentException("The article has no id.", nameof(indexed));
        if (passages.Count != indexed.Vectors.Count)
            throw new ArgumentException($"Article {article.Id} has {passages.Count} passages but {indexed.Vectors.Count} vectors.", nameof(indexed));

        if (indexed.Terms.Count != passages.Count)
            throw new ArgumentException($"Article {article.Id} has {passages.Count} passages but terms for {indexed.Terms.Count}.", nameof(indexed));

        // The terms come tokenised from Core; the vectors are stored at unit length.
        var dimensions = _session.Embedder.Dimensions;
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
                    $"Passage {passage.Id} has a vector of {vector.Length} dimensions, but the index at {Location} holds {_session.Embedder}.", nameof(indexed));
            }
            SqliteValues.Normalize(vector, vectors.AsSpan(i * dimensions, dimensions), passage.Id);
        }
        var published = article.Published;
        var publishedText = published?.ToString("O", CultureInfo.InvariantCulture);
        var authors = JsonSerializer.Serialize(article.Authors, IndexJsonContext.Default.IReadOnlyListString);
        var rowids = new long[passages.Count];
        var terms = new byte[passages.Count][];

        var sql = _session.Sql;
        cancellationToken.ThrowIfCancellationRequested();
        long articleRowid;
        BeginArticle(sql);
        var dictionary = _session.CachedTerms;
        var termMark = dictionary?.NextId ?? 0;
        // The in-memory index can take this write only if it has seen every commit before it; otherwise the next
        // search brings it up to date with the file, this write included.
        var memoryCurrent = false;
        try
        {
            memoryCurrent = _snapshot.IsCurrent();
            dictionary = _session.Terms();
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

            var handle = _session.Connection.Handle!;
            var blob = _session.VectorBlob;
            sql.PassageArticle.Value = articleRowid;
            for (var i = 0; i < passages.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var passage = passages[i];
                var passageTerms = indexed.Terms[i];
                var ids = new int[passageTerms.Terms.Count];
                for (var t = 0; t < ids.Length; t++)
                    ids[t] = dictionary.GetOrAdd(passageTerms.Terms[t], sql.InsertTerm, sql.TermId, sql.Term);
                terms[i] = TermCounts.Encode(passageTerms.Length, ids, [.. passageTerms.Counts]);
                MemoryMarshal.AsBytes(vectors.AsSpan(i * dimensions, dimensions)).CopyTo(blob);
                sql.PassageVector.Value = blob;
                sql.PassageTerms.Value = terms[i];
                sql.PassageId.Value = passage.Id;
                sql.PassageOrdinal.Value = passage.Ordinal;
                sql.PassageStart.Value = passage.Start;
                sql.PassageEnd.Value = passage.End;
                sql.PassageText.Value = passage.Text;
                sql.InsertPassage.ExecuteNonQuery();
                rowids[i] = raw.sqlite3_last_insert_rowid(handle);
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

        if (memoryCurrent)
        {
            _snapshot.Apply(memory =>
            {
                memory.AddArticle(articleRowid, article.Source, published, rowids, vectors, terms);
                memory.SetAuthors(articleRowid, article.Authors);
            });
        }
    }

    public void Delete(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        if (articleIds.Count == 0)
            return;
        var sql = _session.Sql;
        cancellationToken.ThrowIfCancellationRequested();
        var removed = new List<long>();
        BeginArticle(sql);
        var memoryCurrent = false;
        try
        {
            memoryCurrent = _snapshot.IsCurrent();
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

        if (memoryCurrent && removed.Count > 0)
        {
            _snapshot.Apply(memory =>
            {
                foreach (var rowid in removed)
                    memory.RemoveArticle(rowid);
            });
        }
    }

    private void BeginArticle(Statements sql) => _session.Execute(_session.InBulk ? sql.Savepoint : sql.Begin, "start a write");

    private void CommitArticle(Statements sql, string action)
    {
        if (!_session.InBulk)
        {
            try
            {
                sql.Commit.ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                IndexSession.TryExecute(sql.Rollback);
                _session.DropTerms();
                throw SqliteFailure.Wrap(e, Location, action);
            }
            return;
        }

        _session.Execute(sql.Release, action);
        if (++_bulkPending >= BulkCommitArticles)
        {
            CommitBulk(sql, action);
            _session.Execute(sql.Begin, "continue a bulk write");
        }
    }

    /// <summary>Undoes the current article's writes; in a bulk write, only back to the article's savepoint.</summary>
    private void AbandonArticle(Statements sql)
    {
        if (!_session.InBulk)
        {
            IndexSession.TryExecute(sql.Rollback);
            return;
        }
        IndexSession.TryExecute(sql.RollbackToSavepoint);
        IndexSession.TryExecute(sql.Release);
        // Some errors (a full disk, for one) make SQLite roll back the whole transaction, taking with it the articles
        // written since the last group commit; the in-memory index still holds them, so it must be rebuilt.
        if (_session.InAutocommit)
        {
            Log.BulkRolledBack(_session.Logger, Location);
            _snapshot.Drop();
            _session.DropTerms();
            _bulkPending = 0;
            IndexSession.TryExecute(sql.Begin);
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
            IndexSession.TryExecute(sql.Rollback);
            Log.BulkRolledBack(_session.Logger, Location);
            _snapshot.Drop();
            _session.DropTerms();
            throw SqliteFailure.Wrap(e, Location, action);
        }
    }

    /// <summary>Opens a bulk-write scope (see <see cref="SqlitePassageIndex.BeginBulkWrite"/>). Call under the gate.</summary>
    public void BeginBulk()
    {
        if (_session.BulkDepth == 0)
        {
            _session.Execute(_session.Sql.Begin, "start a bulk write");
            _bulkPending = 0;
        }
        _session.BulkDepth++;
    }

    /// <summary>Closes a scope; the outermost commits. Call under the gate.</summary>
    public void EndBulk()
    {
        if (_session.BulkDepth == 0 || --_session.BulkDepth > 0)
            return;
        CommitBulk(_session.Sql, "finish a bulk write");
    }

    /// <summary>Commits an open bulk write when the index is closed with scopes still open. Call under the gate.</summary>
    public void FinishOnClose()
    {
        if (_session.BulkDepth == 0)
            return;
        _session.BulkDepth = 0;
        try
        {
            _session.Sql.Commit.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            IndexSession.TryExecute(_session.Sql.Rollback);
            Log.BulkRolledBack(_session.Logger, Location);
        }
    }

}
