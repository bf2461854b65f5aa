using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>
/// Qdrant's ExtendedPointId: an unsigned 64-bit integer or a UUID, nothing else. Numbers sort before UUIDs, UUIDs by
/// their 128-bit value, which is the order scroll pages come in.
/// </summary>
internal readonly record struct FakePointId(ulong? Number, Guid Uuid) : IComparable<FakePointId>
{
    public static FakePointId Parse(JsonNode? node)
    {
        if (node is JsonValue value)
        {
            switch (value.GetValueKind())
            {
                case JsonValueKind.Number:
                    if (value.TryGetValue<ulong>(out var number))
                        return new FakePointId(number, Guid.Empty);
                    if (decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
                        && d >= 0 && d <= ulong.MaxValue && d == decimal.Truncate(d))
                    {
                        return new FakePointId((ulong)d, Guid.Empty);
                    }
                    break;
                case JsonValueKind.String:
                    var text = value.GetValue<string>();
                    var uuidText = text.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? text[9..] : text;
                    if (Guid.TryParseExact(uuidText, "D", out var uuid) || Guid.TryParseExact(uuidText, "N", out uuid))
                        return new FakePointId(null, uuid);
                    break;
            }
        }
        var shown = node?.ToJsonString() ?? "null";
        throw QdrantApiException.Format($"value {shown} is not a valid point ID, valid values are either an unsigned integer or a UUID");
    }

    public JsonNode ToJson() => Number is { } n ? JsonValue.Create(n) : JsonValue.Create(Uuid.ToString("D"));

    public override string ToString() => Number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : Uuid.ToString("D");

    public int CompareTo(FakePointId other)
    {
        if (Number is { } a)
            return other.Number is { } b ? a.CompareTo(b) : -1;
        if (other.Number is not null)
            return 1;
        Span<byte> left = stackalloc byte[16];
        Span<byte> right = stackalloc byte[16];
        Uuid.TryWriteBytes(left, bigEndian: true, out _);
        other.Uuid.TryWriteBytes(right, bigEndian: true, out _);
        return left.SequenceCompareTo(right);
    }
}
