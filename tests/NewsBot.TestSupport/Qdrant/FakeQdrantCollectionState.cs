using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>A copy of a collection's state, for assertions.</summary>
/// <param name="CreateRequest">The body it was created with.</param>
/// <param name="PayloadIndexes">Field name to index type (keyword, datetime, ...).</param>
public sealed record FakeQdrantCollectionState(
    string Name,
    JsonObject CreateRequest,
    JsonObject? Metadata,
    IReadOnlyDictionary<string, string> PayloadIndexes,
    IReadOnlyList<FakeQdrantPoint> Points);
