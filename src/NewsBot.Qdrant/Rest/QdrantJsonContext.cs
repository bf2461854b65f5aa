using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Qdrant.Rest;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WireCreateCollection))]
[JsonSerializable(typeof(WireUpdateCollection))]
[JsonSerializable(typeof(WireCreateFieldIndex))]
[JsonSerializable(typeof(WireUpsertPoints))]
[JsonSerializable(typeof(WireDeletePoints))]
[JsonSerializable(typeof(WireScrollRequest))]
[JsonSerializable(typeof(WireCountRequest))]
[JsonSerializable(typeof(WireFacetRequest))]
[JsonSerializable(typeof(WireQueryRequest))]
[JsonSerializable(typeof(WireVersionInfo))]
[JsonSerializable(typeof(WireEnvelope<bool>))]
[JsonSerializable(typeof(WireEnvelope<WireCollectionInfo>))]
[JsonSerializable(typeof(WireEnvelope<WireUpdateResult>))]
[JsonSerializable(typeof(WireEnvelope<WireScrollResult>))]
[JsonSerializable(typeof(WireEnvelope<WireCountResult>))]
[JsonSerializable(typeof(WireEnvelope<WireFacetResult>))]
[JsonSerializable(typeof(WireEnvelope<WireQueryResult>))]
[JsonSerializable(typeof(WireEnvelope<JsonElement>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
internal sealed partial class QdrantJsonContext : JsonSerializerContext;
