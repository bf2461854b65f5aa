using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>A copy of a stored point, for assertions.</summary>
/// <param name="Id">As Qdrant prints it: a number or a hyphenated lower-case UUID.</param>
/// <param name="DenseVectors">Named dense vectors as stored (cosine vectors normalised, as Qdrant does).</param>
/// <param name="SparseVectors">Named sparse vectors as (index, value) pairs.</param>
public sealed record FakeQdrantPoint(
    string Id,
    IReadOnlyDictionary<string, Value> Payload,
    IReadOnlyDictionary<string, float[]> DenseVectors,
    IReadOnlyDictionary<string, IReadOnlyList<(uint Index, float Value)>> SparseVectors);
