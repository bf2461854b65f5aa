using System.Globalization;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using Qdrant.Client.Grpc;

namespace NewsBot.Qdrant;

/// <summary>A passage as a Qdrant point (id, vectors, payload) and back.</summary>
internal static class QdrantPayload
{
    public static PointStruct ToPoint(IndexedArticle article, int index)
    {
        var passage = article.Passages[index];
        var (indices, values) = LexicalVector.ForPassage(article.Terms[index]);
        var source = passage.Source ?? article.Article.Source;
        var published = passage.Published ?? article.Article.Published;
        var point = new PointStruct
        {
            Id = new PointId { Uuid = PointIds.ForPassage(passage.Id) },
            Vectors = new Vectors
            {
                Vectors_ = new NamedVectors
                {
                    Vectors =
                    {
                        [QdrantSchema.DenseVector] = new Vector { Dense = new DenseVector { Data = { article.Vectors[index].ToArray() } } },
                        [QdrantSchema.LexicalVector] = new Vector { Sparse = new SparseVector { Indices = { indices }, Values = { values } } },
                    },
                },
            },
        };
        var payload = point.Payload;
        payload[QdrantSchema.PassageId] = passage.Id;
        payload[QdrantSchema.ArticleId] = passage.ArticleId;
        payload[QdrantSchema.Ordinal] = passage.Ordinal;
        payload[QdrantSchema.Start] = passage.Start;
        payload[QdrantSchema.End] = passage.End;
        payload[QdrantSchema.Text] = passage.Text;
        payload[QdrantSchema.Title] = passage.Title;
        if (source is not null)
        {
            payload[QdrantSchema.Source] = source;
            payload[QdrantSchema.SourceKey] = QdrantFilters.SourceKey(source);
        }
        if ((passage.Url ?? article.Article.Url) is { } url)
            payload[QdrantSchema.Url] = url;
        if (published is { } p)
            payload[QdrantSchema.Published] = Rfc3339(p);
        var authors = (passage.Authors.Count > 0 ? passage.Authors : article.Article.Authors).Where(a => !string.IsNullOrWhiteSpace(a)).ToArray();
        if (authors.Length > 0)
        {
            payload[QdrantSchema.Authors] = authors;
            payload[QdrantSchema.AuthorKeys] = authors.Select(a => a.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        }
        payload[QdrantSchema.ContentHash] = article.ContentHash;
        if (article.Article.Origin is { } origin)
            payload[QdrantSchema.Origin] = origin;
        if (index == 0)
            payload[QdrantSchema.Head] = true;
        return point;
    }

    public static Passage? ToPassage(IDictionary<string, Value> payload)
    {
        if (Text(payload, QdrantSchema.PassageId) is not { } id || Text(payload, QdrantSchema.ArticleId) is not { } articleId || Text(payload, QdrantSchema.Text) is not { } text)
            return null;
        DateTimeOffset? published = Text(payload, QdrantSchema.Published) is { } p
            && DateTimeOffset.TryParse(p, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
        return new Passage
        {
            Id = id,
            ArticleId = articleId,
            Ordinal = Integer(payload, QdrantSchema.Ordinal) ?? 0,
            Start = Integer(payload, QdrantSchema.Start) ?? 0,
            End = Integer(payload, QdrantSchema.End) ?? text.Length,
            Text = text,
            Title = Text(payload, QdrantSchema.Title) ?? "",
            Source = Text(payload, QdrantSchema.Source),
            Url = Text(payload, QdrantSchema.Url),
            Published = published,
            Authors = payload.TryGetValue(QdrantSchema.Authors, out var authors) && authors.KindCase == Value.KindOneofCase.ListValue
                ? [.. authors.ListValue.Values.Where(v => v.KindCase == Value.KindOneofCase.StringValue).Select(v => v.StringValue)]
                : [],
        };
    }

    /// <summary>RFC 3339 with the article's own offset kept; Qdrant's datetime index compares instants.</summary>
    public static string Rfc3339(DateTimeOffset value) =>
        value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>A string payload field, or null when missing or not a string.</summary>
    public static string? Text(IDictionary<string, Value> payload, string key) =>
        payload.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

    private static int? Integer(IDictionary<string, Value> payload, string key) =>
        payload.TryGetValue(key, out var value)
            ? value.KindCase switch
            {
                Value.KindOneofCase.IntegerValue => (int)value.IntegerValue,
                Value.KindOneofCase.DoubleValue => (int)value.DoubleValue,
                _ => null,
            }
            : null;
}
