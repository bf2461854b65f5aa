using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Qdrant.Rest;

// Wire shapes of POST /collections/{name}/points/query.

internal sealed record WireQueryRequest(
    IReadOnlyList<WirePrefetch> Prefetch,
    WireQueryInput Query,
    int Limit,
    bool WithPayload,
    IReadOnlyList<string> WithVector);

internal sealed record WirePrefetch(WireQueryInput Query, string Using, WireFilter? Filter, int Limit);

/// <summary>The <c>query</c> member: a dense vector (array), a sparse vector (<c>{indices, values}</c>) or a fusion.</summary>
[JsonConverter(typeof(WireQueryInputConverter))]
internal sealed record WireQueryInput
{
    public ReadOnlyMemory<float>? Dense { get; init; }

    public WireSparseVector? Sparse { get; init; }

    public string? Fusion { get; init; }
}

internal sealed class WireQueryInputConverter : JsonConverter<WireQueryInput>
{
    public override WireQueryInput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Query inputs are only written.");

    public override void Write(Utf8JsonWriter writer, WireQueryInput value, JsonSerializerOptions options)
    {
        if (value.Dense is { } dense)
        {
            writer.WriteStartArray();
            foreach (var x in dense.Span)
                writer.WriteNumberValue(x);
            writer.WriteEndArray();
        }
        else if (value.Sparse is { } sparse)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("indices");
            foreach (var i in sparse.Indices)
                writer.WriteNumberValue(i);
            writer.WriteEndArray();
            writer.WriteStartArray("values");
            foreach (var v in sparse.Values)
                writer.WriteNumberValue(v);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("fusion", value.Fusion ?? "rrf");
            writer.WriteEndObject();
        }
    }
}

internal sealed record WireQueryResult(IReadOnlyList<WireScoredPoint> Points);

internal sealed record WireScoredPoint(JsonElement Id, double Score, WirePassagePayload? Payload, WireVectorOutput? Vector);

internal sealed record WireVectorOutput([property: JsonPropertyName(QdrantSchema.DenseVector)] float[]? Dense);
