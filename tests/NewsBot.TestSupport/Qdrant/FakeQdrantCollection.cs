using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>One in-memory collection: its schema, payload indexes and points, and the read and write operations.</summary>
internal sealed partial class FakeQdrantCollection
{
    private static readonly string[] Distances = ["Cosine", "Euclid", "Dot", "Manhattan"];
    private static readonly string[] IndexTypes = ["keyword", "integer", "float", "geo", "text", "bool", "datetime", "uuid"];

    private readonly bool _keepMetadata;
    private ulong _operation;

    public FakeQdrantCollection(string name, JsonObject body, bool keepMetadata)
    {
        Name = name;
        CreateRequest = (JsonObject)body.DeepClone();
        _keepMetadata = keepMetadata;

        switch (body["vectors"])
        {
            case null:
                break;
            case JsonObject vectors when vectors.ContainsKey("size"):
                DenseVectors[""] = ReadVectorParams(vectors, "vectors");
                break;
            case JsonObject named:
                foreach (var (vectorName, parameters) in named)
                {
                    if (parameters is not JsonObject p)
                        throw QdrantApiException.Format($"vectors.{vectorName}: invalid type, expected struct VectorParams");
                    DenseVectors[vectorName] = ReadVectorParams(p, "vectors." + vectorName);
                }
                break;
            default:
                throw QdrantApiException.Format("vectors: data did not match any variant of untagged enum VectorsConfig");
        }
        if (body["sparse_vectors"] is JsonObject sparse)
        {
            foreach (var (vectorName, parameters) in sparse)
            {
                var modifier = (parameters as JsonObject)?["modifier"]?.GetValue<string>();
                if (modifier is not (null or "none" or "idf"))
                    throw QdrantApiException.Format($"sparse_vectors.{vectorName}.modifier: unknown variant `{modifier}`, expected `none` or `idf`");
                SparseModifiers[vectorName] = modifier;
            }
        }
        ShardNumber = PositiveOrDefault(body, "shard_number", 1);
        ReplicationFactor = PositiveOrDefault(body, "replication_factor", 1);
        WriteConsistencyFactor = PositiveOrDefault(body, "write_consistency_factor", 1);
        OnDiskPayload = body["on_disk_payload"]?.GetValue<bool>() ?? true;
        if (keepMetadata && body["metadata"] is JsonObject metadata)
            Metadata = (JsonObject)metadata.DeepClone();
    }

    public string Name { get; }

    public JsonObject CreateRequest { get; }

    public Dictionary<string, DenseParams> DenseVectors { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> SparseModifiers { get; } = new(StringComparer.Ordinal);

    public int ShardNumber { get; }

    public int ReplicationFactor { get; }

    public int WriteConsistencyFactor { get; }

    public bool OnDiskPayload { get; }

    public JsonObject? Metadata { get; private set; }

    public Dictionary<string, string> Indexes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<FakePointId, StoredPoint> Points { get; } = [];

    public FakeQdrantCollectionState Snapshot() => new(
        Name,
        (JsonObject)CreateRequest.DeepClone(),
        (JsonObject?)Metadata?.DeepClone(),
        new Dictionary<string, string>(Indexes, StringComparer.Ordinal),
        Points.Values.Select(p => p.Snapshot()).ToList());

    public JsonObject Info()
    {
        var sparse = new JsonObject();
        foreach (var (vectorName, modifier) in SparseModifiers)
            sparse[vectorName] = modifier is null ? new JsonObject() : new JsonObject { ["modifier"] = modifier };
        var config = new JsonObject
        {
            ["params"] = new JsonObject
            {
                ["vectors"] = VectorsConfig(),
                ["shard_number"] = ShardNumber,
                ["replication_factor"] = ReplicationFactor,
                ["write_consistency_factor"] = WriteConsistencyFactor,
                ["on_disk_payload"] = OnDiskPayload,
                ["sparse_vectors"] = sparse,
            },
            ["hnsw_config"] = new JsonObject { ["m"] = 16, ["ef_construct"] = 100, ["full_scan_threshold"] = 10000, ["max_indexing_threads"] = 0, ["on_disk"] = false },
            ["optimizer_config"] = new JsonObject
            {
                ["deleted_threshold"] = 0.2,
                ["vacuum_min_vector_number"] = 1000,
                ["default_segment_number"] = 0,
                ["max_segment_size"] = null,
                ["indexing_threshold"] = 10000,
                ["flush_interval_sec"] = 5,
                ["max_optimization_threads"] = null,
            },
            ["wal_config"] = new JsonObject { ["wal_capacity_mb"] = 32, ["wal_segments_ahead"] = 0 },
            ["quantization_config"] = null,
        };
        if (_keepMetadata)
            config["metadata"] = Metadata?.DeepClone() ?? new JsonObject();
        var schema = new JsonObject();
        foreach (var (field, type) in Indexes)
        {
            schema[field] = new JsonObject
            {
                ["data_type"] = type,
                ["points"] = Points.Values.Count(p => FakeQdrantFilter.Values(p.Payload, field).Any(v => v is not null)),
            };
        }
        return new JsonObject
        {
            ["status"] = "green",
            ["optimizer_status"] = "ok",
            ["indexed_vectors_count"] = 0,
            ["points_count"] = Points.Count,
            ["segments_count"] = 1,
            ["config"] = config,
            ["payload_schema"] = schema,
        };
    }

    public void Update(JsonObject body)
    {
        if (!_keepMetadata || body["metadata"] is not JsonObject changes)
            return;
        Metadata ??= [];
        foreach (var (key, value) in changes)
        {
            if (value is null)
                Metadata.Remove(key);
            else
                Metadata[key] = value.DeepClone();
        }
    }

    public JsonObject CreateIndex(JsonObject body)
    {
        var field = body["field_name"]?.GetValue<string>() ?? throw QdrantApiException.Format("missing field `field_name`");
        var type = body["field_schema"] switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonObject o => o["type"]?.GetValue<string>(),
            _ => null,
        };
        if (type is null || !IndexTypes.Contains(type))
            throw QdrantApiException.Format($"field_schema: unknown or missing index type {(type is null ? "" : $"`{type}`")}");
        Indexes[field] = type;
        return UpdateResult(wait: true);
    }

    public JsonObject Upsert(JsonObject body, bool wait)
    {
        if (body.ContainsKey("batch"))
            throw QdrantApiException.BadRequest("the fake Qdrant server does not implement the batch (column) upsert form");
        if (body["points"] is not JsonArray points)
            throw QdrantApiException.Format("data did not match any variant of untagged enum PointInsertOperations");
        var parsed = new List<StoredPoint>(points.Count);
        foreach (var node in points)
        {
            if (node is not JsonObject point)
                throw QdrantApiException.Format("points: invalid type, expected struct PointStruct");
            var id = FakePointId.Parse(point["id"]);
            var stored = new StoredPoint { Id = id, Payload = point["payload"] is JsonObject payload ? (JsonObject)payload.DeepClone() : [] };
            ReadVectors(point["vector"] ?? throw QdrantApiException.Format("missing field `vector`"), stored);
            parsed.Add(stored);
        }
        // All or nothing, as a rejected request is on the real server.
        var version = ++_operation;
        foreach (var point in parsed)
        {
            point.Version = version;
            Points[point.Id] = point;
        }
        return UpdateResult(wait, version);
    }

    public JsonObject Delete(JsonObject body, bool wait, bool strict)
    {
        if (body["points"] is JsonArray ids)
        {
            foreach (var id in ids)
                Points.Remove(FakePointId.Parse(id));
        }
        else if (body.TryGetPropertyValue("filter", out var filter) && filter is JsonObject)
        {
            if (strict)
                FakeQdrantFilter.RequireIndexes(filter, Indexes);
            foreach (var point in Points.Values.Where(p => FakeQdrantFilter.Matches(filter, p)).ToList())
                Points.Remove(point.Id);
        }
        else
        {
            throw QdrantApiException.Format("data did not match any variant of untagged enum PointsSelector");
        }
        return UpdateResult(wait, ++_operation);
    }

    public JsonArray Retrieve(JsonObject body)
    {
        if (body["ids"] is not JsonArray ids)
            throw QdrantApiException.Format("missing field `ids`");
        var result = new JsonArray();
        foreach (var id in ids)
        {
            if (Points.TryGetValue(FakePointId.Parse(id), out var point))
                result.Add(Record(point, body["with_payload"], body["with_vector"], payloadByDefault: true));
        }
        return result;
    }

    public JsonObject RetrieveOne(string id)
    {
        FakePointId pointId;
        try
        {
            pointId = FakePointId.Parse(ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id));
        }
        catch (QdrantApiException)
        {
            throw QdrantApiException.BadRequest($"Unable to parse point id: {id}");
        }
        return Points.TryGetValue(pointId, out var point)
            ? Record(point, null, null, payloadByDefault: true)
            : throw QdrantApiException.NotFound($"No point with id {id} found");
    }

    public JsonObject Scroll(JsonObject body, bool strict)
    {
        var limit = ReadLimit(body, "limit", 10);
        var filter = body["filter"];
        if (strict)
            FakeQdrantFilter.RequireIndexes(filter, Indexes);
        var matching = Points.Values.Where(p => FakeQdrantFilter.Matches(filter, p));

        if (body["order_by"] is { } orderBy)
        {
            var (key, descending, startFrom) = ReadOrderBy(orderBy);
            if (!(Indexes.TryGetValue(key, out var type) && type is "integer" or "float" or "datetime"))
                throw QdrantApiException.BadRequest($"No range index for `order_by` key: `{key}`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions");
            var ordered = matching
                .Select(p => (Point: p, Value: OrderValue(p, key, type)))
                .Where(x => x.Value is not null)
                .Where(x => startFrom is null || (descending ? x.Value <= startFrom : x.Value >= startFrom));
            ordered = descending
                ? ordered.OrderByDescending(x => x.Value).ThenBy(x => x.Point.Id)
                : ordered.OrderBy(x => x.Value).ThenBy(x => x.Point.Id);
            var records = new JsonArray();
            foreach (var (point, value) in ordered.Take(limit))
            {
                var record = Record(point, body["with_payload"], body["with_vector"], payloadByDefault: true);
                record["order_value"] = value;
                records.Add(record);
            }
            return new JsonObject { ["points"] = records, ["next_page_offset"] = null };
        }

        if (body["offset"] is { } offsetNode)
        {
            var offset = FakePointId.Parse(offsetNode);
            matching = matching.Where(p => p.Id.CompareTo(offset) >= 0);
        }
        var page = matching.Take(limit + 1).ToList();
        var points = new JsonArray();
        foreach (var point in page.Take(limit))
            points.Add(Record(point, body["with_payload"], body["with_vector"], payloadByDefault: true));
        return new JsonObject
        {
            ["points"] = points,
            ["next_page_offset"] = page.Count > limit ? page[limit].Id.ToJson() : null,
        };
    }

    public JsonObject Count(JsonObject body, bool strict)
    {
        var filter = body["filter"];
        if (strict)
            FakeQdrantFilter.RequireIndexes(filter, Indexes);
        return new JsonObject { ["count"] = Points.Values.Count(p => FakeQdrantFilter.Matches(filter, p)) };
    }

    public JsonObject Facet(JsonObject body, bool strict)
    {
        var key = body["key"]?.GetValue<string>() ?? throw QdrantApiException.Format("missing field `key`");
        var limit = ReadLimit(body, "limit", 10);
        var filter = body["filter"];
        if (strict)
            FakeQdrantFilter.RequireIndexes(filter, Indexes);
        if (!(Indexes.TryGetValue(key, out var type) && type is "keyword" or "integer" or "bool" or "uuid"))
            throw QdrantApiException.BadRequest($"Index required but not found for \"{key}\" of one of the following types: [keyword, integer, bool, uuid]. Help: Create an index for this key.");
        var counts = new Dictionary<string, (JsonNode Value, int Count)>(StringComparer.Ordinal);
        foreach (var point in Points.Values.Where(p => FakeQdrantFilter.Matches(filter, p)))
        {
            foreach (var value in FakeQdrantFilter.Values(point.Payload, key).Where(v => v is JsonValue).Select(v => v!).DistinctBy(v => v.ToJsonString()))
            {
                var text = value.ToJsonString();
                counts[text] = counts.TryGetValue(text, out var existing) ? (existing.Value, existing.Count + 1) : (value.DeepClone(), 1);
            }
        }
        var hits = new JsonArray();
        foreach (var (_, (value, count)) in counts.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal).Take(limit))
            hits.Add(new JsonObject { ["value"] = value, ["count"] = count });
        return new JsonObject { ["hits"] = hits };
    }

    /// <summary>A Record (scroll, retrieve) with the payload and vectors the request selected.</summary>
    public JsonObject Record(StoredPoint point, JsonNode? withPayload, JsonNode? withVector, bool payloadByDefault)
    {
        var record = new JsonObject { ["id"] = point.Id.ToJson() };
        if (SelectPayload(point.Payload, withPayload, payloadByDefault) is { } payload)
            record["payload"] = payload;
        if (SelectVectors(point, withVector) is { } vectors)
            record["vector"] = vectors;
        return record;
    }

    private JsonNode VectorsConfig()
    {
        if (DenseVectors.TryGetValue("", out var single))
            return single.ToJson();
        var named = new JsonObject();
        foreach (var (vectorName, parameters) in DenseVectors)
            named[vectorName] = parameters.ToJson();
        return named;
    }

    private void ReadVectors(JsonNode vector, StoredPoint point)
    {
        if (vector is JsonArray unnamed)
        {
            if (!DenseVectors.TryGetValue("", out var parameters))
                throw QdrantApiException.WrongInput("Not existing vector name error: ");
            point.Dense[""] = Store(parameters, ReadFloats(unnamed, "vector"));
            return;
        }
        if (vector is not JsonObject named)
            throw QdrantApiException.Format("vector: data did not match any variant of untagged enum VectorStruct");
        foreach (var (vectorName, value) in named)
        {
            if (DenseVectors.TryGetValue(vectorName, out var parameters))
            {
                if (value is not JsonArray values)
                    throw QdrantApiException.WrongInput("Conversion between sparse and regular vectors failed");
                point.Dense[vectorName] = Store(parameters, ReadFloats(values, "vector." + vectorName));
            }
            else if (SparseModifiers.ContainsKey(vectorName))
            {
                if (value is not JsonObject sparse)
                    throw QdrantApiException.WrongInput("Conversion between sparse and regular vectors failed");
                point.Sparse[vectorName] = ReadSparse(sparse, "vector." + vectorName);
            }
            else
            {
                throw QdrantApiException.WrongInput($"Not existing vector name error: {vectorName}");
            }
        }
    }

    private static float[] Store(DenseParams parameters, float[] values)
    {
        if (values.Length != parameters.Size)
            throw QdrantApiException.WrongInput($"Vector dimension error: expected dim: {parameters.Size}, got {values.Length}");
        // Qdrant normalises cosine vectors when it stores them (and returns them normalised).
        return parameters.Distance == "Cosine" ? Normalize(values) : values;
    }

    internal static float[] Normalize(float[] values)
    {
        var norm = Math.Sqrt(values.Sum(v => (double)v * v));
        return norm == 0 ? values : values.Select(v => (float)(v / norm)).ToArray();
    }

    internal static float[] ReadFloats(JsonArray array, string where)
    {
        var values = new float[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
                throw QdrantApiException.Format($"{where}: invalid type, expected f32");
            values[i] = v.GetValue<float>();
        }
        return values;
    }

    internal static SparseVector ReadSparse(JsonObject sparse, string where)
    {
        if (sparse["indices"] is not JsonArray indices || sparse["values"] is not JsonArray values)
            throw QdrantApiException.Format($"{where}: missing field `indices` or `values`");
        if (indices.Count != values.Count)
            throw QdrantApiException.Validation($"{where}: indices and values must have the same length ({indices.Count} and {values.Count})");
        var ids = indices.Select(i => i is JsonValue v && v.TryGetValue<uint>(out var u) ? u : throw QdrantApiException.Format($"{where}.indices: expected u32")).ToArray();
        if (ids.Distinct().Count() != ids.Length)
            throw QdrantApiException.Validation($"{where}: indices must be unique");
        return new SparseVector(ids, ReadFloats(values, where + ".values"));
    }

    private JsonObject UpdateResult(bool wait, ulong? operation = null) => new()
    {
        ["operation_id"] = operation ?? ++_operation,
        ["status"] = wait ? "completed" : "acknowledged",
    };

    private static JsonObject? SelectPayload(JsonObject payload, JsonNode? selector, bool byDefault)
    {
        switch (selector)
        {
            case null:
                return byDefault ? (JsonObject)payload.DeepClone() : null;
            case JsonValue flag when flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return flag.GetValue<bool>() ? (JsonObject)payload.DeepClone() : null;
            case JsonArray include:
                return Pick(payload, include, keep: true);
            case JsonObject o when o["include"] is JsonArray include:
                return Pick(payload, include, keep: true);
            case JsonObject o when o["exclude"] is JsonArray exclude:
                return Pick(payload, exclude, keep: false);
            default:
                throw QdrantApiException.Format("with_payload: data did not match any variant of untagged enum WithPayloadInterface");
        }
    }

    private static JsonObject Pick(JsonObject payload, JsonArray keys, bool keep)
    {
        var names = keys.Select(k => k?.GetValue<string>()).Where(k => k is not null).ToHashSet(StringComparer.Ordinal);
        var result = new JsonObject();
        foreach (var (key, value) in payload)
        {
            if (names.Contains(key) == keep)
                result[key] = value?.DeepClone();
        }
        return result;
    }

    private JsonNode? SelectVectors(StoredPoint point, JsonNode? selector)
    {
        IEnumerable<string> names = selector switch
        {
            null => [],
            JsonValue flag when flag.GetValueKind() is JsonValueKind.True or JsonValueKind.False => flag.GetValue<bool>() ? point.Dense.Keys.Concat(point.Sparse.Keys) : [],
            JsonArray list => list.Select(n => n!.GetValue<string>()),
            _ => throw QdrantApiException.Format("with_vector: data did not match any variant of untagged enum WithVector"),
        };
        var wanted = names.ToList();
        if (wanted.Count == 0)
            return null;
        if (DenseVectors.ContainsKey("") && point.Dense.TryGetValue("", out var unnamed))
            return new JsonArray(unnamed.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
        var result = new JsonObject();
        foreach (var vectorName in wanted)
        {
            if (point.Dense.TryGetValue(vectorName, out var dense))
            {
                result[vectorName] = new JsonArray(dense.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            }
            else if (point.Sparse.TryGetValue(vectorName, out var sparse))
            {
                result[vectorName] = new JsonObject
                {
                    ["indices"] = new JsonArray(sparse.Indices.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
                    ["values"] = new JsonArray(sparse.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                };
            }
        }
        return result;
    }

    private static (string Key, bool Descending, double? StartFrom) ReadOrderBy(JsonNode orderBy)
    {
        if (orderBy is JsonValue key)
            return (key.GetValue<string>(), false, null);
        if (orderBy is not JsonObject o || o["key"]?.GetValue<string>() is not { } name)
            throw QdrantApiException.Format("order_by: data did not match any variant of untagged enum OrderByInterface");
        var direction = o["direction"]?.GetValue<string>() ?? "asc";
        if (direction is not ("asc" or "desc"))
            throw QdrantApiException.Format($"order_by.direction: unknown variant `{direction}`, expected `asc` or `desc`");
        double? start = o["start_from"] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
            var v => FakeQdrantFilter.ParseDateTime(v)?.ToUnixTimeMilliseconds(),
        };
        return (name, direction == "desc", start);
    }

    private static double? OrderValue(StoredPoint point, string key, string type)
    {
        var value = FakeQdrantFilter.Values(point.Payload, key).FirstOrDefault(v => v is not null);
        return type == "datetime"
            ? FakeQdrantFilter.ParseDateTime(value)?.ToUnixTimeMilliseconds()
            : FakeQdrantFilter.ParseNumber(value);
    }

    private static DenseParams ReadVectorParams(JsonObject parameters, string where)
    {
        if (parameters["size"] is not JsonValue sizeNode || !sizeNode.TryGetValue<long>(out var size))
            throw QdrantApiException.Format($"{where}: missing field `size`");
        if (size < 1)
            throw QdrantApiException.Validation($"[{where}.size: value {size} invalid, must be 1 or larger]");
        var distance = parameters["distance"]?.GetValue<string>() ?? throw QdrantApiException.Format($"{where}: missing field `distance`");
        if (!Distances.Contains(distance, StringComparer.Ordinal))
            throw QdrantApiException.Format($"{where}.distance: unknown variant `{distance}`, expected one of `Cosine`, `Euclid`, `Dot`, `Manhattan`");
        return new DenseParams((int)size, distance, parameters["on_disk"]?.GetValue<bool>());
    }

    private static int PositiveOrDefault(JsonObject body, string key, int fallback)
    {
        if (body[key] is not JsonValue value)
            return fallback;
        var number = value.GetValue<long>();
        if (number < 1)
            throw QdrantApiException.Validation($"[{key}: value {number} invalid, must be 1 or larger]");
        return (int)number;
    }

    internal static int ReadLimit(JsonObject body, string key, int fallback)
    {
        if (body[key] is not JsonValue value)
            return fallback;
        var number = value.GetValue<long>();
        if (number < 1)
            throw QdrantApiException.Validation($"[{key}: value {number} invalid, must be 1 or larger]");
        return (int)Math.Min(number, int.MaxValue);
    }

    internal sealed record DenseParams(int Size, string Distance, bool? OnDisk)
    {
        public JsonObject ToJson()
        {
            var json = new JsonObject { ["size"] = Size, ["distance"] = Distance };
            if (OnDisk is { } onDisk)
                json["on_disk"] = onDisk;
            return json;
        }
    }
}
