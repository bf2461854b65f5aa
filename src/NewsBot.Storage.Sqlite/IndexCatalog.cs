using Microsoft.Data.Sqlite;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

/// <summary>What the index file holds, read from its tables: article states, counts, statistics and sources. Every call is made under the facade's gate.</summary>
internal sealed class IndexCatalog(IndexSession session)
{
    private readonly IndexSession _session = session;

    private string Location => _session.Location;

    /// <summary>Runs a read, turning SQLite's errors into the message a user reads.</summary>
    private T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SqliteException e)
        {
            throw SqliteFailure.Wrap(e, Location, "be read");
        }
    }

    /// <summary>Sources grouped as filters match them (case-insensitively), with article counts and date ranges.</summary>
    public List<SourceSummary> GetSourceSummaries()
    {
        return Read(() =>
        {
            using var command = _session.Connection.CreateCommand();
            command.CommandText = "SELECT min(source), count(*), min(published_unix), max(published_unix) FROM articles WHERE source IS NOT NULL GROUP BY lower(source)";
            using var reader = command.ExecuteReader();
            var summaries = new List<SourceSummary>();
            while (reader.Read())
            {
                summaries.Add(new SourceSummary(
                    reader.GetString(0),
                    reader.GetInt64(1),
                    reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2)),
                    reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3))));
            }
            summaries.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
            return summaries;
        });
    }

    public long CountPassages()
    {
        return Read(() =>
        {
            using var command = _session.Connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM passages";
            return (long)command.ExecuteScalar()!;
        });
    }

    public IReadOnlyDictionary<string, IndexedArticleState> GetArticleStates()
    {
        return Read(() =>
        {
            using var command = _session.Connection.CreateCommand();
            command.CommandText = "SELECT id, content_hash, origin FROM articles";
            using var reader = command.ExecuteReader();
            var states = new Dictionary<string, IndexedArticleState>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var id = reader.GetString(0);
                states[id] = new IndexedArticleState(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
            return states;
        });
    }

    public IndexStatistics GetStatistics()
    {
        return Read(() =>
        {
            using var command = _session.Connection.CreateCommand();
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
            var oldest = command.ExecuteScalar() is string first ? SqliteValues.ParsePublished(first) : (DateTimeOffset?)null;
            command.CommandText = "SELECT published FROM articles WHERE published_unix IS NOT NULL ORDER BY published_unix DESC LIMIT 1";
            var newest = command.ExecuteScalar() is string last ? SqliteValues.ParsePublished(last) : (DateTimeOffset?)null;

            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["file size"] = SqliteValues.FormatSize(SqliteValues.FileSize(Location) + SqliteValues.FileSize(Location + "-wal")),
            };
            return new IndexStatistics(Location, articles, passages, sources, oldest, newest, _session.Embedder, details);
        });
    }

    public List<string> GetSources(string? prefix, int limit)
    {
        if (limit <= 0)
            return [];
        {
            return Read(() =>
            {
                using var command = _session.Connection.CreateCommand();
                var sources = ReadSources(command);
                if (!string.IsNullOrEmpty(prefix))
                    sources.RemoveAll(s => !s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
                if (sources.Count > limit)
                    sources.RemoveRange(limit, sources.Count - limit);
                return sources;
            });
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

}
