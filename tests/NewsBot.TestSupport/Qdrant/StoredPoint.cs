using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

internal sealed class StoredPoint
{
    public required string Key { get; init; }

    public required MapField<string, Value> Payload { get; init; }

    public Dictionary<string, float[]> Dense { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (uint[] Indices, float[] Values)> Sparse { get; } = new(StringComparer.Ordinal);

    public ulong Version { get; set; }

    public FakeQdrantPoint Snapshot() => new(
        Key,
        Payload.ToDictionary(p => p.Key, p => p.Value.Clone()),
        Dense.ToDictionary(p => p.Key, p => p.Value.ToArray()),
        Sparse.ToDictionary(p => p.Key, p => (IReadOnlyList<(uint, float)>)p.Value.Indices.Zip(p.Value.Values).ToList()));
}
