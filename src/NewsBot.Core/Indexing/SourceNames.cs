namespace NewsBot.Core.Indexing;

/// <summary>Matching source names as filters do (case-insensitively), and suggesting the closest for a misspelt one.</summary>
public static class SourceNames
{
    /// <summary>The names in <paramref name="requested"/> that none of <paramref name="known"/> matches.</summary>
    public static List<string> Unknown(IEnumerable<string> requested, IReadOnlyCollection<string> known) =>
        [.. requested.Where(r => !known.Contains(r, StringComparer.OrdinalIgnoreCase))];

    /// <summary>Up to <paramref name="count"/> known names closest to <paramref name="name"/>: containment first, then edit distance.</summary>
    public static List<string> Closest(string name, IEnumerable<string> known, int count = 3)
    {
        var wanted = name.Trim().ToLowerInvariant();
        return known
            .Select(k => (Name: k, Score: Distance(wanted, k.ToLowerInvariant())))
            .Where(x => x.Score <= Math.Max(3, wanted.Length / 2))
            .OrderBy(x => x.Score)
            .ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .Take(count)
            .Select(x => x.Name)
            .ToList();
    }

    private static int Distance(string a, string b)
    {
        if (a.Length > 0 && (b.Contains(a, StringComparison.Ordinal) || a.Contains(b, StringComparison.Ordinal)))
            return 0;
        // Levenshtein distance, two rows: a dozen lines for a handful of source names; no package in our registry
        // offers fuzzy matching worth a dependency for this.
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
