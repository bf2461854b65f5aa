using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NewsBot.Core.Indexing;
using SQLitePCL;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The open index file: its connection and prepared statements, the embedder it holds, the term vocabulary, and
/// whether a bulk write is open. Shared by the parts of <see cref="SqlitePassageIndex"/>, which call it only while
/// holding the facade's gate, so nothing here locks.
/// </summary>
internal sealed class IndexSession : IDisposable
{
    private TermDictionary? _terms;
    private long _termsDataVersion;

    public IndexSession(string location, SqliteConnection connection, EmbedderDescriptor embedder, ILogger logger)
    {
        Location = location;
        Connection = connection;
        Embedder = embedder;
        Logger = logger;
        Sql = new Statements(connection);
        VectorBlob = new byte[embedder.Dimensions * sizeof(float)];
    }

    public string Location { get; }

    public SqliteConnection Connection { get; }

    public Statements Sql { get; }

    public EmbedderDescriptor Embedder { get; }

    public ILogger Logger { get; }

    /// <summary>One vector's bytes: SQLite copies bound blobs, so one buffer serves every row.</summary>
    public byte[] VectorBlob { get; }

    /// <summary>Open bulk-write scopes (they nest); while any is open, every write runs inside one long transaction.</summary>
    public int BulkDepth { get; set; }

    public bool InBulk => BulkDepth > 0;

    /// <summary>The vocabulary as last read, or null when it must be read again.</summary>
    public TermDictionary? CachedTerms => _terms;

    /// <summary>The vocabulary, brought up to date with what other processes committed. Call inside a transaction.</summary>
    public TermDictionary Terms()
    {
        var version = DataVersion();
        if (_terms is null || version != _termsDataVersion)
        {
            _terms ??= new TermDictionary();
            _terms.Refresh(Connection);
            _termsDataVersion = version;
        }
        return _terms;
    }

    /// <summary>Forgets the vocabulary (after a rollback took terms with it).</summary>
    public void DropTerms() => _terms = null;

    /// <summary>SQLite's data_version: changes only when another connection commits.</summary>
    public long DataVersion()
    {
        try
        {
            return (long)Sql.DataVersion.ExecuteScalar()!;
        }
        catch (SqliteException e)
        {
            throw SqliteFailure.Wrap(e, Location, "be read");
        }
    }

    /// <summary>True when no transaction is open on the connection (SQLite may roll one back by itself on some errors).</summary>
    public bool InAutocommit => raw.sqlite3_get_autocommit(Connection.Handle) != 0;

    public void Execute(SqliteCommand command, string action)
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

    public static void TryExecute(SqliteCommand command)
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

    public void Dispose()
    {
        Sql.Dispose();
        // Pooling is off, so closing releases the file (and SQLite checkpoints and removes the -wal file).
        Connection.Dispose();
    }
}
