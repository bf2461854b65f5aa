using System.Numerics.Tensors;
using Google.Protobuf.Collections;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>One in-memory collection: its schema, payload indexes and points, and Qdrant's read and write operations on them.</summary>
internal sealed class FakeQdrantCollection
{
    private readonly bool _keepMetadata;
    private ulong _operation;

    public FakeQdrantCollection(CreateCollection request, bool keepMetadata)
    {
        Name = request.CollectionName;
        CreateRequest = request.Clone();
        _keepMetadata = keepMetadata;
        switch (request.VectorsConfig?.ConfigCase)
        {
            case VectorsConfig.ConfigOneofCase.Params:
                Dense[""] = Check(request.VectorsConfig.Params, "vectors_config");
                break;
            case VectorsConfig.ConfigOneofCase.ParamsMap:
                foreach (var (name, parameters) in request.VectorsConfig.ParamsMap.Map)
                    Dense[name] = Check(parameters, "vectors_config." + name);
                break;
        }
        if (request.SparseVectorsConfig is { } sparse)
        {
            foreach (var (name, parameters) in sparse.Map)
                Sparse[name] = parameters.Clone();
        }
        if (keepMetadata)
            Metadata.Add(request.Metadata);
    }

    public string Name { get; }

    public CreateCollection CreateRequest { get; }

    public Dictionary<string, VectorParams> Dense { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SparseVectorParams> Sparse { get; } = new(StringComparer.Ordinal);

    public MapField<string, Value> Metadata { get; } = [];

    public Dictionary<string, PayloadSchemaType> Indexes { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, StoredPoint> Points { get; } = new(Comparer<string>.Create(FakePointIds.Compare));

    public FakeQdrantCollectionState Snapshot() => new(
        Name,
        CreateRequest.Clone(),
        Metadata.ToDictionary(p => p.Key, p => p.Value.Clone()),
        new Dictionary<string, PayloadSchemaType>(Indexes),
        Points.Values.Select(p => p.Snapshot()).ToList());

    public CollectionInfo Info()
    {
        var parameters = new CollectionParams
        {
            ShardNumber = CreateRequest.HasShardNumber ? CreateRequest.ShardNumber : 1,
            ReplicationFactor = CreateRequest.HasReplicationFactor ? CreateRequest.ReplicationFactor : 1,
            WriteConsistencyFactor = CreateRequest.HasWriteConsistencyFactor ? CreateRequest.WriteConsistencyFactor : 1,
            VectorsConfig = CreateRequest.VectorsConfig?.Clone() ?? new VectorsConfig(),
        };
        if (Sparse.Count > 0)
        {
            parameters.SparseVectorsConfig = new SparseVectorConfig();
            foreach (var (name, sparse) in Sparse)
                parameters.SparseVectorsConfig.Map[name] = sparse.Clone();
        }
        if (CreateRequest.Payload is { } payload)
            parameters.Payload = payload.Clone();
        var info = new CollectionInfo
        {
            Status = CollectionStatus.Green,
            OptimizerStatus = new OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            PointsCount = (ulong)Points.Count,
            IndexedVectorsCount = 0,
            Config = new CollectionConfig
            {
                Params = parameters,
                HnswConfig = new HnswConfigDiff { M = 16, EfConstruct = 100, FullScanThreshold = 10000 },
                OptimizerConfig = new OptimizersConfigDiff(),
                WalConfig = new WalConfigDiff(),
            },
        };
        if (_keepMetadata)
            info.Config.Metadata.Add(Metadata);
        foreach (var (field, type) in Indexes)
            info.PayloadSchema[field] = new PayloadSchemaInfo { DataType = type, Points = (ulong)Points.Values.Count(p => FakeQdrantFilter.Values(p, field).Count > 0) };
        return info;
    }

    public void Update(UpdateCollection request)
    {
        if (!_keepMetadata)
            return;
        foreach (var (key, value) in request.Metadata)
            Metadata[key] = value.Clone();
    }

    public UpdateResult CreateIndex(CreateFieldIndexCollection request)
    {
        if (string.IsNullOrEmpty(request.FieldName))
            throw Invalid("Wrong input: field_name must not be empty");
        if (!request.HasFieldType)
            throw Invalid("Wrong input: field_type is required");
        Indexes[request.FieldName] = request.FieldType switch
        {
            FieldType.Keyword => PayloadSchemaType.Keyword,
            FieldType.Integer => PayloadSchemaType.Integer,
            FieldType.Float => PayloadSchemaType.Float,
            FieldType.Geo => PayloadSchemaType.Geo,
            FieldType.Text => PayloadSchemaType.Text,
            FieldType.Bool => PayloadSchemaType.Bool,
            FieldType.Datetime => PayloadSchemaType.Datetime,
            FieldType.Uuid => PayloadSchemaType.Uuid,
            _ => throw Invalid($"Wrong input: unknown field type {request.FieldType}"),
        };
        return Completed(request.HasWait && request.Wait);
    }

    public UpdateResult Upsert(UpsertPoints request)
    {
        // Checked whole before anything is written: Qdrant applies an upsert all or nothing.
        var points = request.Points.Select(ToStored).ToList();
        _operation++;
        foreach (var point in points)
        {
            point.Version = _operation;
            Points[point.Key] = point;
        }
        return Completed(request.Wait);
    }

    public UpdateResult Delete(DeletePoints request)
    {
        var selector = request.Points ?? throw Invalid("Wrong input: points selector is required");
        List<string> keys = selector.PointsSelectorOneOfCase switch
        {
            PointsSelector.PointsSelectorOneOfOneofCase.Points => [.. selector.Points.Ids.Select(FakePointIds.Format)],
            PointsSelector.PointsSelectorOneOfOneofCase.Filter => [.. Points.Values.Where(p => FakeQdrantFilter.Matches(selector.Filter, p)).Select(p => p.Key)],
            _ => throw Invalid("Wrong input: points selector is empty"),
        };
        _operation++;
        foreach (var key in keys)
            Points.Remove(key);
        return Completed(request.Wait);
    }

    public ScrollResponse Scroll(ScrollPoints request)
    {
        var limit = request.HasLimit ? (int)request.Limit : 10;
        if (limit < 1)
            throw Invalid("Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
        var matching = Points.Values.Where(p => FakeQdrantFilter.Matches(request.Filter, p));
        var response = new ScrollResponse();
        if (request.OrderBy is { } orderBy)
        {
            if (!Indexes.TryGetValue(orderBy.Key, out var type) || type is not (PayloadSchemaType.Integer or PayloadSchemaType.Float or PayloadSchemaType.Datetime))
                throw Invalid($"Bad request: No range index for `order_by` key: `{orderBy.Key}`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions");
            var keyed = matching.SelectMany(p => FakeQdrantFilter.Values(p, orderBy.Key).Select(v => (Point: p, Key: OrderKey(v)))).Where(x => x.Key is not null);
            keyed = orderBy.HasDirection && orderBy.Direction == Direction.Desc ? keyed.OrderByDescending(x => x.Key) : keyed.OrderBy(x => x.Key);
            foreach (var (point, _) in keyed.Take(limit))
                response.Result.Add(Retrieved(point, request.WithPayload, request.WithVectors));
            return response;
        }
        if (request.Offset is { } offset)
        {
            var from = FakePointIds.Format(offset);
            matching = matching.Where(p => FakePointIds.Compare(p.Key, from) >= 0);
        }
        var page = matching.Take(limit + 1).ToList();
        foreach (var point in page.Take(limit))
            response.Result.Add(Retrieved(point, request.WithPayload, request.WithVectors));
        if (page.Count > limit)
            response.NextPageOffset = FakePointIds.Parse(page[limit].Key);
        return response;
    }

    public ulong Count(CountPoints request) => (ulong)Points.Values.Count(p => FakeQdrantFilter.Matches(request.Filter, p));

    public FacetResponse Facet(FacetCounts request)
    {
        if (!Indexes.TryGetValue(request.Key, out var type) || type is not (PayloadSchemaType.Keyword or PayloadSchemaType.Integer or PayloadSchemaType.Bool or PayloadSchemaType.Uuid))
            throw Invalid($"Bad request: Index required but not found for \"{request.Key}\" of one of the following types: [keyword, integer, bool, uuid]. Help: Create an index for this key or use a different filter.");
        var counts = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var point in Points.Values.Where(p => FakeQdrantFilter.Matches(request.Filter, p)))
        {
            foreach (var value in FakeQdrantFilter.Values(point, request.Key).Where(v => v.KindCase == Value.KindOneofCase.StringValue).Select(v => v.StringValue).Distinct(StringComparer.Ordinal))
                counts[value] = counts.GetValueOrDefault(value) + 1;
        }
        var limit = request.HasLimit ? (int)request.Limit : 10;
        var response = new FacetResponse();
        foreach (var (value, count) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(limit))
            response.Hits.Add(new FacetHit { Value = new FacetValue { StringValue = value }, Count = count });
        return response;
    }

    /// <summary>A nearest-neighbour query on one named vector, dense (cosine) or sparse (dot product, times idf with the idf modifier).</summary>
    public BatchResult Query(QueryPoints request)
    {
        if (request.Prefetch.Count > 0)
            throw new RpcException(new Status(StatusCode.Unimplemented, "The fake serves nearest-neighbour queries without prefetch only"));
        if (request.Query?.VariantCase != global::Qdrant.Client.Grpc.Query.VariantOneofCase.Nearest)
            throw Invalid("Wrong input: Query variant is missing");
        var input = request.Query.Nearest;
        var name = request.HasUsing ? request.Using : "";
        var limit = request.HasLimit ? (int)request.Limit : 10;
        if (limit < 1)
            throw Invalid("Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
        var candidates = Points.Values.Where(p => FakeQdrantFilter.Matches(request.Filter, p));
        List<(StoredPoint Point, float Score)> scored;
        switch (input.VariantCase)
        {
            case VectorInput.VariantOneofCase.Dense:
                if (!Dense.TryGetValue(name, out var parameters))
                    throw Invalid($"Wrong input: Not existing vector name error: {name}");
                var query = input.Dense.Data.ToArray();
                if ((ulong)query.Length != parameters.Size)
                    throw Invalid($"Wrong input: Vector dimension error: expected dim: {parameters.Size}, got {query.Length}");
                query = Normalize(query);
                scored = [.. candidates.Where(p => p.Dense.ContainsKey(name)).Select(p => (p, TensorPrimitives.Dot(p.Dense[name], query)))];
                break;
            case VectorInput.VariantOneofCase.Sparse:
                if (!Sparse.TryGetValue(name, out var sparse))
                    throw Invalid($"Wrong input: Not existing vector name error: {name}");
                var (indices, values) = ReadSparse(input.Sparse.Indices, input.Sparse.Values, name);
                var idf = sparse.HasModifier && sparse.Modifier == Modifier.Idf ? Idf(name, indices) : null;
                scored = [];
                foreach (var point in candidates)
                {
                    if (!point.Sparse.TryGetValue(name, out var stored))
                        continue;
                    var score = 0f;
                    var overlap = false;
                    for (var i = 0; i < indices.Length; i++)
                    {
                        var at = Array.BinarySearch(stored.Indices, indices[i]);
                        if (at < 0)
                            continue;
                        overlap = true;
                        score += values[i] * stored.Values[at] * (idf?[i] ?? 1f);
                    }
                    // Qdrant's sparse search returns only points that share an index with the query.
                    if (overlap)
                        scored.Add((point, score));
                }
                break;
            default:
                throw Invalid($"Wrong input: unsupported query input {input.VariantCase}");
        }
        var result = new BatchResult();
        foreach (var (point, score) in scored.OrderByDescending(s => s.Score).ThenBy(s => s.Point.Key, Comparer<string>.Create(FakePointIds.Compare)).Take(limit))
        {
            var scoredPoint = new ScoredPoint { Id = FakePointIds.Parse(point.Key), Score = score, Version = point.Version };
            if (request.WithPayload is { } withPayload && IncludesPayload(withPayload))
                scoredPoint.Payload.Add(Select(point.Payload, withPayload));
            result.Result.Add(scoredPoint);
        }
        return result;
    }

    /// <summary>Qdrant's idf: ln(1 + (N − n + 0.5) / (n + 0.5)), N the points holding this sparse vector, n those holding the index.</summary>
    private float[] Idf(string name, uint[] indices)
    {
        var holders = Points.Values.Where(p => p.Sparse.ContainsKey(name)).Select(p => p.Sparse[name].Indices).ToList();
        var total = holders.Count;
        var idf = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            var n = holders.Count(h => Array.BinarySearch(h, index) >= 0);
            idf[i] = (float)Math.Log(1 + ((total - n + 0.5) / (n + 0.5)));
        }
        return idf;
    }

    private StoredPoint ToStored(PointStruct point)
    {
        var key = FakePointIds.Format(point.Id ?? throw Invalid("Wrong input: point id is missing"));
        var stored = new StoredPoint { Key = key, Payload = [] };
        stored.Payload.Add(point.Payload);
        var vectors = point.Vectors ?? throw Invalid($"Wrong input: point {key} has no vectors");
        switch (vectors.VectorsOptionsCase)
        {
            case Vectors.VectorsOptionsOneofCase.Vector:
                AddVector(stored, "", vectors.Vector);
                break;
            case Vectors.VectorsOptionsOneofCase.Vectors_:
                foreach (var (name, vector) in vectors.Vectors_.Vectors)
                    AddVector(stored, name, vector);
                break;
            default:
                throw Invalid($"Wrong input: point {key} has no vectors");
        }
        foreach (var (name, parameters) in Dense)
        {
            if (!stored.Dense.ContainsKey(name))
                throw Invalid($"Wrong input: Missing vector for point {key}: {(name.Length == 0 ? "default vector" : name)}");
        }
        return stored;
    }

    private void AddVector(StoredPoint stored, string name, Vector vector)
    {
#pragma warning disable CS0612 // The deprecated data/indices fields are what older clients send; Qdrant still reads them.
        if (vector.VectorCase == Vector.VectorOneofCase.Sparse || (vector.VectorCase == Vector.VectorOneofCase.None && vector.Indices is not null))
        {
            if (!Sparse.ContainsKey(name))
                throw Invalid($"Wrong input: Not existing vector name error: {name}");
            var (indices, values) = vector.VectorCase == Vector.VectorOneofCase.Sparse
                ? ReadSparse(vector.Sparse.Indices, vector.Sparse.Values, name)
                : ReadSparse(vector.Indices.Data, vector.Data, name);
            stored.Sparse[name] = (indices, values);
            return;
        }
        var data = vector.VectorCase == Vector.VectorOneofCase.Dense ? vector.Dense.Data.ToArray() : vector.Data.ToArray();
#pragma warning restore CS0612
        if (!Dense.TryGetValue(name, out var parameters))
            throw Invalid($"Wrong input: Not existing vector name error: {name}");
        if ((ulong)data.Length != parameters.Size)
            throw Invalid($"Wrong input: Vector dimension error: expected dim: {parameters.Size}, got {data.Length}");
        if (data.Any(v => !float.IsFinite(v)))
            throw Invalid("Wrong input: vector contains a value that is not a finite number");
        stored.Dense[name] = parameters.Distance == Distance.Cosine ? Normalize(data) : data;
    }

    private static (uint[] Indices, float[] Values) ReadSparse(IList<uint> indices, IList<float> values, string name)
    {
        if (indices.Count != values.Count)
            throw Invalid($"Wrong input: Sparse vector {name}: indices and values must have the same length");
        if (indices.Distinct().Count() != indices.Count)
            throw Invalid($"Wrong input: Sparse vector {name}: indices must be unique");
        var pairs = indices.Zip(values).OrderBy(p => p.First).ToArray();
        return (pairs.Select(p => p.First).ToArray(), pairs.Select(p => p.Second).ToArray());
    }

    private static RetrievedPoint Retrieved(StoredPoint point, WithPayloadSelector? withPayload, WithVectorsSelector? withVectors)
    {
        var retrieved = new RetrievedPoint { Id = FakePointIds.Parse(point.Key) };
        // Scroll returns the payload unless asked not to.
        if (withPayload is null || IncludesPayload(withPayload))
            retrieved.Payload.Add(withPayload is null ? point.Payload : Select(point.Payload, withPayload));
        _ = withVectors;
        return retrieved;
    }

    private static bool IncludesPayload(WithPayloadSelector selector) =>
        selector.SelectorOptionsCase != WithPayloadSelector.SelectorOptionsOneofCase.Enable || selector.Enable;

    private static Dictionary<string, Value> Select(MapField<string, Value> payload, WithPayloadSelector selector) => selector.SelectorOptionsCase switch
    {
        WithPayloadSelector.SelectorOptionsOneofCase.Include => payload.Where(p => selector.Include.Fields.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.Clone()),
        WithPayloadSelector.SelectorOptionsOneofCase.Exclude => payload.Where(p => !selector.Exclude.Fields.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.Clone()),
        _ => payload.ToDictionary(p => p.Key, p => p.Value.Clone()),
    };

    private static IComparable? OrderKey(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IntegerValue => (double)value.IntegerValue,
        Value.KindOneofCase.DoubleValue => value.DoubleValue,
        Value.KindOneofCase.StringValue when DateTimeOffset.TryParse(value.StringValue, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date) => (double)date.UtcTicks,
        _ => null,
    };

    private UpdateResult Completed(bool wait) => new() { OperationId = _operation, Status = wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged };

    private static VectorParams Check(VectorParams parameters, string where)
    {
        if (parameters.Size == 0)
            throw Invalid($"Validation error in body: [{where}.size: value 0 invalid, must be from 1 to 65536]");
        if (parameters.Distance == Distance.UnknownDistance)
            throw Invalid($"Wrong input: {where}.distance: unknown distance");
        return parameters.Clone();
    }

    internal static float[] Normalize(float[] values)
    {
        var norm = TensorPrimitives.Norm(values);
        return norm == 0 ? values : values.Select(v => v / norm).ToArray();
    }

    internal static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
