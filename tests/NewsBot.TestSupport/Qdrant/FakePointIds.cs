using Grpc.Core;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

internal static class FakePointIds
{
    /// <summary>The id as Qdrant prints it (a number, or a hyphenated lower-case UUID); INVALID_ARGUMENT for an id Qdrant refuses.</summary>
    public static string Format(PointId id) => id.PointIdOptionsCase switch
    {
        PointId.PointIdOptionsOneofCase.Num => id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture),
        PointId.PointIdOptionsOneofCase.Uuid when Guid.TryParse(id.Uuid, out var uuid) => uuid.ToString("D"),
        PointId.PointIdOptionsOneofCase.Uuid => throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"Unable to parse UUID: {id.Uuid}")),
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: PointId is missing")),
    };

    public static PointId Parse(string key) =>
        ulong.TryParse(key, out var number) ? new PointId { Num = number } : new PointId { Uuid = key };

    /// <summary>Qdrant's order: numbers before UUIDs, numbers by value, UUIDs by their text.</summary>
    public static int Compare(string a, string b)
    {
        var aNumber = ulong.TryParse(a, out var x);
        var bNumber = ulong.TryParse(b, out var y);
        if (aNumber && bNumber)
            return x.CompareTo(y);
        if (aNumber != bNumber)
            return aNumber ? -1 : 1;
        return string.CompareOrdinal(a, b);
    }
}
