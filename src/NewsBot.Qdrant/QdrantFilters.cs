using NewsBot.Core.Indexing;
using Qdrant.Client.Grpc;

namespace NewsBot.Qdrant;

/// <summary>Translates <see cref="PassageFilter"/> into Qdrant's filter, with the same meaning as <see cref="PassageFilter.Matches"/>.</summary>
internal static class QdrantFilters
{
    public static Filter? For(PassageFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var result = new Filter();
        if (filter.Sources is { Count: > 0 } sources)
        {
            var keys = sources.Where(s => s is not null).Select(SourceKey).Distinct(StringComparer.Ordinal).ToList();
            result.Must.Add(Conditions.Match(QdrantSchema.SourceKey, keys));
        }
        if (filter.Authors is { Count: > 0 } authors)
        {
            var keys = authors.Where(a => a is not null).Select(a => a.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
            result.Must.Add(Conditions.Match(QdrantSchema.AuthorKeys, keys));
        }
        if (filter.From is not null || filter.To is not null)
        {
            var range = Conditions.DatetimeRange(QdrantSchema.Published, gte: filter.From?.UtcDateTime, lte: filter.To?.UtcDateTime);
            if (filter.IncludeUndated)
            {
                // is_empty covers both a missing and a null "published".
                var either = new Filter();
                either.Should.Add(range);
                either.Should.Add(Conditions.IsEmpty(QdrantSchema.Published));
                result.Must.Add(Conditions.Filter(either));
            }
            else
            {
                result.Must.Add(range);
            }
        }
        return result.Must.Count == 0 ? null : result;
    }

    public static Filter ArticleIs(string articleId)
    {
        var filter = new Filter();
        filter.Must.Add(Conditions.MatchKeyword(QdrantSchema.ArticleId, articleId));
        return filter;
    }

    public static Filter ArticleIn(IReadOnlyList<string> articleIds)
    {
        var filter = new Filter();
        filter.Must.Add(Conditions.Match(QdrantSchema.ArticleId, articleIds));
        return filter;
    }

    public static Filter Heads()
    {
        var filter = new Filter();
        filter.Must.Add(Conditions.Match(QdrantSchema.Head, true));
        return filter;
    }

    public static string SourceKey(string source) => source.ToLowerInvariant();
}
