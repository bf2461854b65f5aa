using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>
/// The Query API (<c>POST /points/query</c>): nearest search over a dense vector (cosine, dot, euclid, manhattan) or a
/// sparse one (dot product, with IDF when the vector has the <c>idf</c> modifier), prefetches (nested, each filtered by
/// its own filter and every enclosing one), and fusion by RRF (default k = 2, optional weights) or DBSF. Search is exact.
/// </summary>
internal sealed partial class FakeQdrantCollection
{
    /// <summary>Qdrant's RRF constant when none is given.</summary>
    public const int DefaultRrfK = 2;

    public JsonObject Query(JsonObject body, bool strict)
    {
        if (strict)
            RequireIndexesDeep(body);
        var limit = ReadLimit(body, "limit", 10);
        var offset = body["offset"] is JsonValue o ? (int)o.GetValue<long>() : 0;
        var results = Evaluate(body, inheritedFilter: null, limit + offset);
        var points = new JsonArray();
        foreach (var (point, score) in results.Skip(offset).Take(limit))
        {
            var scored = new JsonObject
            {
                ["id"] = point.Id.ToJson(),
                ["version"] = point.Version,
                ["score"] = score,
            };
            var record = Record(point, body["with_payload"], body["with_vector"], payloadByDefault: false);
            if (record["payload"] is { } payload)
                scored["payload"] = payload.DeepClone();
            if (record["vector"] is { } vector)
                scored["vector"] = vector.DeepClone();
            points.Add(scored);
        }
        return new JsonObject { ["points"] = points };
    }

    private List<(StoredPoint Point, double Score)> Evaluate(JsonObject request, JsonNode? inheritedFilter, int limit)
    {
        var filter = FakeQdrantFilter.And(request["filter"], inheritedFilter);
        var threshold = request["score_threshold"] is JsonValue t ? t.GetValue<double>() : (double?)null;
        var prefetches = request["prefetch"] switch
        {
            null => [],
            JsonObject single => [single],
            JsonArray many => many.Select(p => p as JsonObject ?? throw QdrantApiException.Format("prefetch: invalid type, expected struct Prefetch")).ToList(),
            _ => throw QdrantApiException.Format("prefetch: data did not match any variant"),
        };
        var query = request["query"];
        var vectorName = request["using"]?.GetValue<string>() ?? "";

        if (prefetches.Count > 0)
        {
            if (query is null)
                throw QdrantApiException.BadRequest("A query is needed to merge the prefetches. Can't have prefetches without defining a query.");
            var lists = prefetches.Select(p => Evaluate(p, filter, ReadLimit(p, "limit", 10))).ToList();
            if (ReadFusion(query) is { } fusion)
            {
                var fused = fusion.Method == "dbsf" ? Dbsf(lists) : Rrf(lists, fusion.K, fusion.Weights);
                return Threshold(fused, threshold, descending: true).Take(limit).ToList();
            }
            // Re-scoring: the union of the prefetched points, ranked by the main query.
            var union = lists.SelectMany(l => l).Select(x => x.Point).DistinctBy(p => p.Id).ToList();
            return Nearest(union, query, vectorName, threshold, limit);
        }

        var candidates = Points.Values.Where(p => FakeQdrantFilter.Matches(filter, p)).ToList();
        if (query is null)
            return candidates.Take(limit).Select(p => (p, 0.0)).ToList();
        if (ReadFusion(query) is not null)
            throw QdrantApiException.BadRequest("Fusion queries need prefetches to fuse.");
        return Nearest(candidates, query, vectorName, threshold, limit);
    }

    private List<(StoredPoint Point, double Score)> Nearest(List<StoredPoint> candidates, JsonNode query, string vectorName, double? threshold, int limit)
    {
        if (query is JsonObject wrapper && wrapper["nearest"] is { } nearest)
            query = nearest;

        if (DenseVectors.TryGetValue(vectorName, out var dense))
        {
            var vector = query switch
            {
                JsonArray array when array.All(x => x is JsonValue) => ReadFloats(array, "query"),
                JsonValue id when id.GetValueKind() is JsonValueKind.Number or JsonValueKind.String => VectorOfPoint(FakePointId.Parse(id), vectorName),
                JsonObject o when o.ContainsKey("indices") => throw QdrantApiException.WrongInput("Conversion between sparse and regular vectors failed"),
                _ => throw QdrantApiException.BadRequest("the fake Qdrant server only implements nearest-vector queries and fusion"),
            };
            if (vector.Length != dense.Size)
                throw QdrantApiException.WrongInput($"Vector dimension error: expected dim: {dense.Size}, got {vector.Length}");
            var ascending = dense.Distance is "Euclid" or "Manhattan";
            var normalized = dense.Distance == "Cosine" ? Normalize(vector) : vector;
            var scored = candidates
                .Where(p => p.Dense.ContainsKey(vectorName))
                .Select(p => (Point: p, Score: Distance(dense.Distance, normalized, p.Dense[vectorName])));
            scored = ascending ? scored.OrderBy(x => x.Score).ThenBy(x => x.Point.Id) : scored.OrderByDescending(x => x.Score).ThenBy(x => x.Point.Id);
            return Threshold(scored, threshold, descending: !ascending).Take(limit).ToList();
        }

        if (SparseModifiers.TryGetValue(vectorName, out var modifier))
        {
            var sparse = query switch
            {
                JsonObject o when o.ContainsKey("indices") => ReadSparse(o, "query"),
                JsonArray => throw QdrantApiException.WrongInput("Conversion between sparse and regular vectors failed"),
                _ => throw QdrantApiException.BadRequest("the fake Qdrant server only implements nearest-vector queries and fusion"),
            };
            var weights = SparseQueryWeights(sparse, vectorName, modifier == "idf");
            var scored = new List<(StoredPoint Point, double Score)>();
            foreach (var point in candidates)
            {
                if (!point.Sparse.TryGetValue(vectorName, out var stored))
                    continue;
                var score = 0.0;
                var overlap = false;
                foreach (var (index, weight) in weights)
                {
                    var at = Array.IndexOf(stored.Indices, index);
                    if (at < 0)
                        continue;
                    overlap = true;
                    score += weight * stored.Values[at];
                }
                // A sparse search only finds points that share at least one dimension with the query.
                if (overlap)
                    scored.Add((point, score));
            }
            return Threshold(scored.OrderByDescending(x => x.Score).ThenBy(x => x.Point.Id), threshold, descending: true).Take(limit).ToList();
        }

        throw QdrantApiException.WrongInput($"Not existing vector name error: {vectorName}");
    }

    /// <summary>The query's weights, times idf = ln((N − n + 0.5) / (n + 0.5) + 1) over the whole collection when asked.</summary>
    private List<(uint Index, double Weight)> SparseQueryWeights(SparseVector query, string vectorName, bool idf)
    {
        var weights = new List<(uint, double)>(query.Indices.Length);
        var holders = idf ? Points.Values.Where(p => p.Sparse.ContainsKey(vectorName)).Select(p => p.Sparse[vectorName]).ToList() : [];
        double total = holders.Count;
        for (var i = 0; i < query.Indices.Length; i++)
        {
            var index = query.Indices[i];
            var weight = (double)query.Values[i];
            if (idf)
            {
                var n = holders.Count(h => Array.IndexOf(h.Indices, index) >= 0);
                weight *= Math.Log(((total - n + 0.5) / (n + 0.5)) + 1);
            }
            weights.Add((index, weight));
        }
        return weights;
    }

    private float[] VectorOfPoint(FakePointId id, string vectorName) =>
        Points.TryGetValue(id, out var point) && point.Dense.TryGetValue(vectorName, out var vector)
            ? vector
            : throw QdrantApiException.NotFound($"No point with id {id} found");

    private static double Distance(string distance, float[] query, float[] stored)
    {
        double sum = 0;
        switch (distance)
        {
            case "Euclid":
                for (var i = 0; i < query.Length; i++)
                    sum += (query[i] - stored[i]) * (double)(query[i] - stored[i]);
                return Math.Sqrt(sum);
            case "Manhattan":
                for (var i = 0; i < query.Length; i++)
                    sum += Math.Abs(query[i] - stored[i]);
                return sum;
            default:
                for (var i = 0; i < query.Length; i++)
                    sum += query[i] * (double)stored[i];
                return sum;
        }
    }

    private static IEnumerable<(StoredPoint Point, double Score)> Threshold(IEnumerable<(StoredPoint Point, double Score)> scored, double? threshold, bool descending) =>
        threshold is not { } t ? scored : scored.Where(x => descending ? x.Score > t : x.Score < t);

    /// <summary>Σ over the lists of 1 / ((rank + 1) / weight + k − 1), rank 0-based; with weight 1 that is 1 / (rank + k).</summary>
    private static List<(StoredPoint Point, double Score)> Rrf(List<List<(StoredPoint Point, double Score)>> lists, int k, double[]? weights)
    {
        if (weights is not null && weights.Length != lists.Count)
            throw QdrantApiException.BadRequest($"RRF weights: {weights.Length} weights given for {lists.Count} prefetches");
        var scores = new Dictionary<FakePointId, (StoredPoint Point, double Score, int First)>();
        var order = 0;
        for (var l = 0; l < lists.Count; l++)
        {
            var weight = weights?[l] ?? 1.0;
            for (var rank = 0; rank < lists[l].Count; rank++)
            {
                var point = lists[l][rank].Point;
                var add = 1.0 / (((rank + 1) / weight) + k - 1);
                scores[point.Id] = scores.TryGetValue(point.Id, out var s) ? (s.Point, s.Score + add, s.First) : (point, add, order++);
            }
        }
        return scores.Values.OrderByDescending(s => s.Score).ThenBy(s => s.First).Select(s => (s.Point, s.Score)).ToList();
    }

    /// <summary>Distribution-based score fusion: each list normalised over mean ± 3 standard deviations, then summed.</summary>
    private static List<(StoredPoint Point, double Score)> Dbsf(List<List<(StoredPoint Point, double Score)>> lists)
    {
        var scores = new Dictionary<FakePointId, (StoredPoint Point, double Score, int First)>();
        var order = 0;
        foreach (var list in lists.Where(l => l.Count > 0))
        {
            var mean = list.Average(x => x.Score);
            var std = Math.Sqrt(list.Average(x => (x.Score - mean) * (x.Score - mean)));
            var low = mean - (3 * std);
            var high = mean + (3 * std);
            foreach (var (point, score) in list)
            {
                var normalized = high > low ? Math.Clamp((score - low) / (high - low), 0, 1) : 0.5;
                scores[point.Id] = scores.TryGetValue(point.Id, out var s) ? (s.Point, s.Score + normalized, s.First) : (point, normalized, order++);
            }
        }
        return scores.Values.OrderByDescending(s => s.Score).ThenBy(s => s.First).Select(s => (s.Point, s.Score)).ToList();
    }

    private static (string Method, int K, double[]? Weights)? ReadFusion(JsonNode query)
    {
        if (query is not JsonObject o)
            return null;
        if (o["fusion"] is JsonValue fusion)
        {
            var method = fusion.GetValue<string>();
            return method is "rrf" or "dbsf"
                ? (method, DefaultRrfK, null)
                : throw QdrantApiException.Format($"query.fusion: unknown variant `{method}`, expected `rrf` or `dbsf`");
        }
        if (o["rrf"] is JsonObject rrf)
        {
            var k = rrf["k"] is JsonValue kv ? (int)kv.GetValue<long>() : DefaultRrfK;
            if (k < 1)
                throw QdrantApiException.Validation($"[query.rrf.k: value {k} invalid, must be 1 or larger]");
            var weights = rrf["weights"] is JsonArray w ? w.Select(x => x!.GetValue<double>()).ToArray() : null;
            return ("rrf", k, weights);
        }
        return null;
    }

    private void RequireIndexesDeep(JsonObject request)
    {
        FakeQdrantFilter.RequireIndexes(request["filter"], Indexes);
        switch (request["prefetch"])
        {
            case JsonObject single:
                RequireIndexesDeep(single);
                break;
            case JsonArray many:
                foreach (var prefetch in many.OfType<JsonObject>())
                    RequireIndexesDeep(prefetch);
                break;
        }
    }
}
