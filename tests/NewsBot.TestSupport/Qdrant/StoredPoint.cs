using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>A point as the fake keeps it.</summary>
internal sealed class StoredPoint
{
    public required FakePointId Id { get; init; }

    public required JsonObject Payload { get; set; }

    public Dictionary<string, float[]> Dense { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SparseVector> Sparse { get; } = new(StringComparer.Ordinal);

    public ulong Version { get; set; }

    public FakeQdrantPoint Snapshot() => new(
        Id.ToString(),
        (JsonObject)Payload.DeepClone(),
        Dense.ToDictionary(p => p.Key, p => (float[])p.Value.Clone(), StringComparer.Ordinal),
        Sparse.ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<(uint Index, float Value)>)p.Value.Indices.Zip(p.Value.Values).ToList(),
            StringComparer.Ordinal));
}

internal sealed record SparseVector(uint[] Indices, float[] Values)
{
    public float ValueAt(uint index)
    {
        var at = Array.IndexOf(Indices, index);
        return at < 0 ? 0 : Values[at];
    }
}
