namespace NewsBot.Core.Indexing;

/// <summary>
/// Restricts a search. <see cref="Sources"/> matches source names case-insensitively. <see cref="From"/> and
/// <see cref="To"/> bound the publication date (inclusive); an article without a date passes only when
/// <see cref="IncludeUndated"/> is true, which is how an as-of date (a <see cref="To"/> bound) keeps undated articles.
/// </summary>
public sealed record PassageFilter
{
    public static readonly PassageFilter None = new();

    public IReadOnlyList<string>? Sources { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public bool IncludeUndated { get; init; } = true;

    /// <summary>Only articles by one of these authors (full names, case-insensitive); null or empty for any.</summary>
    public IReadOnlyList<string>? Authors { get; init; }

    /// <summary>Whether an article by <paramref name="authors"/> passes <see cref="Authors"/>.</summary>
    public bool MatchesAuthors(IEnumerable<string> authors) =>
        Authors is not { Count: > 0 } wanted || authors.Any(a => wanted.Any(w => string.Equals(w?.Trim(), a, StringComparison.OrdinalIgnoreCase)));

    public bool Matches(string? source, DateTimeOffset? published)
    {
        if (Sources is { Count: > 0 } && (source is null || !Sources.Any(s => string.Equals(s, source, StringComparison.OrdinalIgnoreCase))))
            return false;
        if (published is null)
            return IncludeUndated || (From is null && To is null);
        if (From is { } from && published < from)
            return false;
        if (To is { } to && published > to)
            return false;
        return true;
    }
}
