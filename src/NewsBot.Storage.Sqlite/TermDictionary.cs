using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The index's vocabulary: every search token ever written, with the integer id the <c>terms</c> table gave it.
/// Passages store their tokens as ids (see <see cref="TermCounts"/>), which makes loading the lexical index a matter
/// of decoding integers rather than hashing thirteen million strings.
/// </summary>
/// <remarks>
/// Ids are only ever appended, inside a write transaction (so by one writer at a time across processes). Not
/// thread-safe: <see cref="SqlitePassageIndex"/> uses it under its gate.
/// </remarks>
internal sealed class TermDictionary
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string?> _terms = [null]; // ids start at 1

    public TermDictionary() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>One past the largest id known.</summary>
    public int NextId => _terms.Count;

    public bool TryGetId(ReadOnlySpan<char> term, out int id) => _lookup.TryGetValue(term, out id);

    /// <summary>Reads the terms another process added since this dictionary was last read (all of them the first time).</summary>
    public void Refresh(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, term FROM terms WHERE id >= $next ORDER BY id";
        command.Parameters.AddWithValue("$next", NextId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt32(0);
            var term = reader.GetString(1);
            while (_terms.Count < id)
                _terms.Add(null);
            _terms.Add(term);
            _ids[term] = id;
        }
    }

    /// <summary>The id of <paramref name="term"/>, inserting it into the terms table (inside the caller's transaction) if it is new.</summary>
    public int GetOrAdd(string term, SqliteCommand insert, SqliteParameter idParameter, SqliteParameter termParameter)
    {
        if (_ids.TryGetValue(term, out var id))
            return id;
        id = _terms.Count;
        idParameter.Value = id;
        termParameter.Value = term;
        insert.ExecuteNonQuery();
        _terms.Add(term);
        _ids[term] = id;
        return id;
    }

    /// <summary>Forgets the terms added from <paramref name="mark"/> (a former <see cref="NextId"/>) on, after their transaction rolled back.</summary>
    public void Truncate(int mark)
    {
        for (var id = _terms.Count - 1; id >= mark; id--)
        {
            if (_terms[id] is { } term)
                _ids.Remove(term);
            _terms.RemoveAt(id);
        }
    }
}
