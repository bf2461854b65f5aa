using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// Opens an index file and checks it before anything reads or writes it: that it is a SQLite database, that it is a
/// NewsBot index of this schema, and that it was built by the configured embedder. Creates the file and its tables
/// when there is none.
/// </summary>
internal sealed class IndexFile(string location)
{
    /// <summary>What a user does about an embedder mismatch in the embedded index.</summary>
    public const string MismatchRemedy =
        "Re-ingest into a new index file (set Index:Path or --index to a new file), or configure the embedder it was built with.";

    private string Location => location;

    /// <summary>
    /// Opens an existing index for reading: no file, folder, table or metadata is created. A file the process may not
    /// write (a read-only mount, or no write permission) is opened immutable, since SQLite could not create the WAL's
    /// shared-memory file beside it; nothing can change it under us then anyway.
    /// </summary>
    public IndexSession OpenReadOnly(EmbedderDescriptor embedder, ILogger logger)
    {
        if (!File.Exists(Location))
        {
            throw new IndexNotFoundException(
                $"There is no index at {Location}. Run: newsbot ingest <path> (for example: newsbot ingest samples/news), or point --index (Index:Path) at an existing index.");
        }
        RefuseForeignFile();
        var immutable = !Writable(Location);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = immutable ? new Uri(Location).AbsoluteUri + "?immutable=1" : Location,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        return Connect(builder, connection =>
        {
            ExecuteScript(connection, Schema.ReadOnlyPragmas);
            if (CountTables(connection) == 0)
                throw new IndexNotFoundException($"The index at {Location} is empty. Run: newsbot ingest <path> (for example: newsbot ingest samples/news).");
            CheckSchema(connection, embedder);
            return new IndexSession(Location, connection, embedder, logger);
        });
    }

    /// <summary>Opens a connection and sets it up; on any failure the connection is closed and SQLite's error made readable.</summary>
    private IndexSession Connect(SqliteConnectionStringBuilder builder, Func<SqliteConnection, IndexSession> setUp)
    {
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            return setUp(connection);
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

    /// <summary>Whether this process may write the file and its folder (for the -wal and -shm files), by their permission bits.</summary>
    private static bool Writable(string path)
    {
        try
        {
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            if (OperatingSystem.IsWindows())
                return !new FileInfo(path).IsReadOnly;
            return (File.GetUnixFileMode(path) & anyWrite) != 0 && (File.GetUnixFileMode(Path.GetDirectoryName(path)!) & anyWrite) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public IndexSession Open(EmbedderDescriptor embedder, ILogger logger)
    {
        if (embedder.Dimensions <= 0 || string.IsNullOrWhiteSpace(embedder.Name))
            throw new ArgumentException($"The embedder must have a name and a positive dimension; got {embedder}.", nameof(embedder));
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The embedded index stores vectors as little-endian float32.");

        CreateFolder();
        RefuseForeignFile();
        var builder = new SqliteConnectionStringBuilder { DataSource = Location, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        return Connect(builder, connection =>
        {
            ExecuteScript(connection, Schema.NewFilePragmas);
            ExecuteScript(connection, Schema.ConnectionPragmas);
            var created = EnsureSchema(connection, embedder);
            var session = new IndexSession(Location, connection, embedder, logger);
            if (created)
                Log.Created(logger, Location, embedder.ToString());
            return session;
        });
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

        CheckSchema(connection, embedder, writeMissingEmbedder: true);
        return created;
    }

    /// <summary>Checks that the file is a NewsBot index of this schema built by <paramref name="embedder"/>.</summary>
    private void CheckSchema(SqliteConnection connection, EmbedderDescriptor embedder, bool writeMissingEmbedder = false)
    {
        var (meta, tables) = ReadMeta(connection);
        if (meta is null || !meta.TryGetValue(Schema.Keys.Format, out var format) || format != Schema.Format)
            throw SqliteFailure.NotAnIndex(Location);
        if (tables < Schema.Tables.Count)
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
                throw new IndexMismatchException(Location, existing, embedder, MismatchRemedy);
        }
        else if (writeMissingEmbedder)
        {
            WriteMeta(connection, Schema.Keys.EmbedderName, embedder.Name);
            WriteMeta(connection, Schema.Keys.EmbedderDimensions, embedder.Dimensions.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static long CountTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema WHERE type IN ('table', 'view')";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The meta table (null when there is none) and how many of the index's tables exist.</summary>
    private static (Dictionary<string, string>? Meta, int Tables) ReadMeta(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (" + string.Join(", ", Schema.Tables.Select(t => $"'{t}'")) + ")";
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

    public static void ExecuteScript(SqliteConnection connection, string sql)
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
}
