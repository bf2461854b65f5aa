using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Qdrant.Rest;

// Wire shapes of the point endpoints: upsert, delete, scroll, count, facet.

internal sealed record WireUpsertPoints(IReadOnlyList<WirePoint> Points);

internal sealed record WirePoint(string Id, WirePointVectors Vector, WirePassagePayload Payload);

internal sealed record WirePointVectors(
    [property: JsonPropertyName(QdrantSchema.DenseVector)] ReadOnlyMemory<float> Dense,
    [property: JsonPropertyName(QdrantSchema.LexicalVector)] WireSparseVector Lexical);

internal sealed record WireSparseVector(uint[] Indices, float[] Values);

/// <summary>A passage as stored in a point's payload (keys in <see cref="QdrantSchema"/>).</summary>
internal sealed record WirePassagePayload
{
    [JsonPropertyName(QdrantSchema.PassageId)]
    public string? PassageId { get; init; }

    [JsonPropertyName(QdrantSchema.ArticleId)]
    public string? ArticleId { get; init; }

    [JsonPropertyName(QdrantSchema.Ordinal)]
    public int? Ordinal { get; init; }

    [JsonPropertyName(QdrantSchema.Start)]
    public int? Start { get; init; }

    [JsonPropertyName(QdrantSchema.End)]
    public int? End { get; init; }

    [JsonPropertyName(QdrantSchema.Text)]
    public string? Text { get; init; }

    [JsonPropertyName(QdrantSchema.Title)]
    public string? Title { get; init; }

    [JsonPropertyName(QdrantSchema.Source)]
    public string? Source { get; init; }

    [JsonPropertyName(QdrantSchema.SourceKey)]
    public string? SourceKey { get; init; }

    [JsonPropertyName(QdrantSchema.Url)]
    public string? Url { get; init; }

    [JsonPropertyName(QdrantSchema.Published)]
    public string? Published { get; init; }

    [JsonPropertyName(QdrantSchema.ContentHash)]
    public string? ContentHash { get; init; }

    [JsonPropertyName(QdrantSchema.Origin)]
    public string? Origin { get; init; }

    [JsonPropertyName(QdrantSchema.Head)]
    public bool? Head { get; init; }
}

internal sealed record WireDeletePoints(WireFilter Filter);

internal sealed record WireUpdateResult(long? OperationId, string? Status);

internal sealed record WireOrderBy(string Key, string Direction);

/// <param name="Offset">The previous page's <c>next_page_offset</c> (a number or a UUID string), passed back as is.</param>
internal sealed record WireScrollRequest(
    WireFilter? Filter,
    int Limit,
    JsonElement? Offset,
    IReadOnlyList<string> WithPayload,
    bool WithVector,
    WireOrderBy? OrderBy);

internal sealed record WireScrollResult(IReadOnlyList<WireRecord> Points, JsonElement NextPageOffset);

internal sealed record WireRecord(JsonElement Id, WirePassagePayload? Payload);

internal sealed record WireCountRequest(WireFilter? Filter, bool Exact);

internal sealed record WireCountResult(long Count);

internal sealed record WireFacetRequest(string Key, int Limit, WireFilter? Filter, bool Exact);

internal sealed record WireFacetResult(IReadOnlyList<WireFacetHit> Hits);

internal sealed record WireFacetHit(JsonElement Value, long Count);
