using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>A copy of a collection's state, for assertions.</summary>
/// <param name="CreateRequest">The request it was created with.</param>
/// <param name="PayloadIndexes">Field name to index type.</param>
public sealed record FakeQdrantCollectionState(
    string Name,
    CreateCollection CreateRequest,
    IReadOnlyDictionary<string, Value> Metadata,
    IReadOnlyDictionary<string, PayloadSchemaType> PayloadIndexes,
    IReadOnlyList<FakeQdrantPoint> Points);
