using System.Globalization;
using NewsBot.Core.Indexing;
using NewsBot.Qdrant.Rest;

namespace NewsBot.Qdrant;

/// <summary>Translates <see cref="PassageFilter"/> into Qdrant's filter grammar, with the same meaning as <see cref="PassageFilter.Matches"/>.</summary>
internal static class QdrantFilters
{
    public static WireFilter? For(PassageFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var must = new List<WireCondition>();
        if (filter.Sources is { Count: > 0 } sources)
        {
            var keys = sources.Select(SourceKey).Distinct(StringComparer.Ordinal).ToList();
            must.Add(WireCondition.AnyOf(QdrantSchema.SourceKey, keys));
        }
        if (filter.From is not null || filter.To is not null)
        {
            var range = new WireCondition
            {
                Key = QdrantSchema.Published,
                Range = new WireRange(Gte: filter.From is { } from ? Rfc3339Utc(from) : null, Lte: filter.To is { } to ? Rfc3339Utc(to) : null),
            };
            // is_empty covers both a missing and a null "published".
            must.Add(filter.IncludeUndated
                ? new WireCondition { Should = [range, WireCondition.Empty(QdrantSchema.Published)] }
                : range);
        }
        return must.Count == 0 ? null : new WireFilter(Must: must);
    }

    public static string SourceKey(string source) => source.ToLowerInvariant();

    /// <summary>The form filters use: UTC with a Z, as precise as the value.</summary>
    public static string Rfc3339Utc(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The form payloads store: the article's own offset is kept, Qdrant compares instants.</summary>
    public static string Rfc3339(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
