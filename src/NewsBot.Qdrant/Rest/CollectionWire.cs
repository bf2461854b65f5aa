using System.Text.Json;

namespace NewsBot.Qdrant.Rest;

// Wire shapes of the collection endpoints (PUT/GET/PATCH /collections/{name}, PUT /collections/{name}/index, GET /).
// Only the fields NewsBot sends or reads; unknown response fields are ignored.

internal sealed record WireCreateCollection(
    IReadOnlyDictionary<string, WireVectorParams> Vectors,
    IReadOnlyDictionary<string, WireSparseVectorParams> SparseVectors,
    int? ShardNumber,
    int? ReplicationFactor,
    int? WriteConsistencyFactor,
    bool? OnDiskPayload,
    IReadOnlyDictionary<string, WireCollectionMetadata> Metadata);

internal sealed record WireVectorParams(int Size, string Distance, bool? OnDisk);

internal sealed record WireSparseVectorParams(string? Modifier, WireSparseIndexParams? Index);

internal sealed record WireSparseIndexParams(bool? OnDisk);

/// <summary>What NewsBot records about a collection it created, under <see cref="QdrantSchema.MetadataKey"/>.</summary>
internal sealed record WireCollectionMetadata(string Embedder, int Dimensions, string Distance, string Lexical, int Schema);

internal sealed record WireUpdateCollection(IReadOnlyDictionary<string, WireCollectionMetadata> Metadata);

internal sealed record WireCreateFieldIndex(string FieldName, string FieldSchema);

internal sealed record WireCollectionInfo(
    string? Status,
    JsonElement OptimizerStatus,
    long? PointsCount,
    long? IndexedVectorsCount,
    long? SegmentsCount,
    WireCollectionConfig? Config,
    IReadOnlyDictionary<string, WirePayloadIndexInfo>? PayloadSchema);

internal sealed record WireCollectionConfig(WireCollectionParams? Params, JsonElement Metadata);

/// <param name="Vectors">Either one unnamed <c>{size, distance}</c> or a map of names to those; read by hand.</param>
internal sealed record WireCollectionParams(
    JsonElement Vectors,
    int? ShardNumber,
    int? ReplicationFactor,
    int? WriteConsistencyFactor,
    bool? OnDiskPayload,
    IReadOnlyDictionary<string, WireSparseVectorParams>? SparseVectors);

internal sealed record WirePayloadIndexInfo(string? DataType, long? Points);

internal sealed record WireVersionInfo(string? Title, string? Version);
