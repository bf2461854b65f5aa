using System.Text.Json;

namespace NewsBot.Qdrant.Rest;

// Qdrant's filter grammar, as much of it as NewsBot uses. One condition type covers the field condition
// ({key, match|range}), {is_empty: {key}}, {has_id: [...]} and a nested filter ({must|should|must_not}); null members
// are not written, so each instance serializes to exactly one of those shapes.

internal sealed record WireFilter(
    IReadOnlyList<WireCondition>? Must = null,
    IReadOnlyList<WireCondition>? Should = null,
    IReadOnlyList<WireCondition>? MustNot = null);

internal sealed record WireCondition
{
    public string? Key { get; init; }

    public WireMatch? Match { get; init; }

    public WireRange? Range { get; init; }

    public WirePayloadField? IsEmpty { get; init; }

    public IReadOnlyList<string>? HasId { get; init; }

    public IReadOnlyList<WireCondition>? Must { get; init; }

    public IReadOnlyList<WireCondition>? Should { get; init; }

    public IReadOnlyList<WireCondition>? MustNot { get; init; }

    public static WireCondition Equal(string key, string value) =>
        new() { Key = key, Match = new WireMatch(Value: JsonSerializer.SerializeToElement(value, QdrantJsonContext.Default.String)) };

    public static WireCondition Equal(string key, bool value) =>
        new() { Key = key, Match = new WireMatch(Value: JsonSerializer.SerializeToElement(value, QdrantJsonContext.Default.Boolean)) };

    public static WireCondition AnyOf(string key, IReadOnlyList<string> values) => new() { Key = key, Match = new WireMatch(Any: values) };

    public static WireCondition Empty(string key) => new() { IsEmpty = new WirePayloadField(key) };
}

/// <param name="Value">Exact match on a keyword, integer or bool.</param>
/// <param name="Any">Match when the field equals any of these keywords.</param>
internal sealed record WireMatch(JsonElement? Value = null, IReadOnlyList<string>? Any = null);

/// <summary>A datetime range: RFC 3339 bounds, inclusive.</summary>
internal sealed record WireRange(string? Gte = null, string? Lte = null);

internal sealed record WirePayloadField(string Key);
