using Microsoft.Data.Sqlite;
using NewsBot.Core.Feedback;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// Votes in a <c>feedback</c> table of the embedded index file itself, so that an index and what readers said about
/// its answers travel together. The table is created on the first vote; the index's own tables are never touched.
/// Uses its own short-lived connection: a vote is rare, and the index's connection may be read-only.
/// </summary>
public sealed class SqliteFeedbackStore(string indexPath) : IFeedbackStore
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS feedback(
            answer_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            voted_at INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY(answer_id, user_id)
        ) WITHOUT ROWID;
        """;

    /// <summary>A vote is answered within Discord's 3 s, so it waits less for a lock (an ingest) than a listing does.</summary>
    private const int VoteBusyMilliseconds = 1500;
    private const int ListBusyMilliseconds = 5000;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Location { get; } = Path.GetFullPath(indexPath);

    public async Task RecordAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        if (!File.Exists(Location))
            throw new FeedbackStoreException($"There is no index at {Location} to keep feedback in. Ingest first, or set Feedback:Path to a file for votes.");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var connection = Open(SqliteOpenMode.ReadWrite, VoteBusyMilliseconds);
            RefuseForeign(connection);
            using var create = connection.CreateCommand();
            create.CommandText = CreateTable;
            create.ExecuteNonQuery();
            using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO feedback(answer_id, user_id, voted_at, record) VALUES ($answer, $user, $at, $record)
                ON CONFLICT(answer_id, user_id) DO UPDATE SET voted_at = excluded.voted_at, record = excluded.record
                """;
            upsert.Parameters.AddWithValue("$answer", vote.AnswerId);
            upsert.Parameters.AddWithValue("$user", vote.UserId);
            upsert.Parameters.AddWithValue("$at", vote.VotedAt.ToUnixTimeMilliseconds());
            upsert.Parameters.AddWithValue("$record", FeedbackJson.Serialize(vote));
            upsert.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            throw Failure(e, "keep the vote");
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<FeedbackVotes> ListAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (!File.Exists(Location))
            return Task.FromResult(new FeedbackVotes([], 0));
        try
        {
            using var connection = Open(SqliteOpenMode.ReadOnly, ListBusyMilliseconds);
            RefuseForeign(connection);
            using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'feedback'";
            if ((long)exists.ExecuteScalar()! == 0)
                return Task.FromResult(new FeedbackVotes([], 0));
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT record FROM feedback WHERE voted_at >= $since ORDER BY voted_at, answer_id, user_id";
            select.Parameters.AddWithValue("$since", since?.ToUnixTimeMilliseconds() ?? long.MinValue);
            using var reader = select.ExecuteReader();
            var votes = new List<FeedbackVote>();
            var unreadable = 0;
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (FeedbackJson.TryDeserialize(reader.GetString(0)) is { } vote)
                    votes.Add(vote);
                else
                    unreadable++;
            }
            return Task.FromResult(new FeedbackVotes(votes, unreadable));
        }
        catch (SqliteException e)
        {
            throw Failure(e, "read the votes");
        }
    }

    private SqliteConnection Open(SqliteOpenMode mode, int busyMilliseconds)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = Location, Mode = mode, Pooling = false, DefaultTimeout = 5 };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using var busy = connection.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout = " + busyMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            busy.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Never writes into a SQLite file that is not a NewsBot index.</summary>
    private void RefuseForeign(SqliteConnection connection)
    {
        using var format = connection.CreateCommand();
        format.CommandText = "SELECT value FROM meta WHERE key = $key";
        format.Parameters.AddWithValue("$key", Schema.Keys.Format);
        try
        {
            if (format.ExecuteScalar() as string != Schema.Format)
                throw new FeedbackStoreException(SqliteFailure.NotAnIndex(Location).Message);
        }
        catch (SqliteException)
        {
            throw new FeedbackStoreException(SqliteFailure.NotAnIndex(Location).Message);
        }
    }

    private FeedbackStoreException Failure(SqliteException e, string action)
    {
        var message = SqliteFailure.Wrap(e, Location, action).Message;
        // The index's own remedies name Index:Path; for votes the other way out is a separate file.
        return new FeedbackStoreException($"{message} (Or set Feedback:Path to keep votes in a separate file.)", e);
    }
}
