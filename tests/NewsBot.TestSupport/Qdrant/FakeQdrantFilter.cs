using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>
/// Qdrant's filter grammar over in-memory points: must (AND), should (at least one), must_not (none), min_should;
/// field conditions with match value/any/except/text, numeric and datetime ranges, values_count, is_empty, is_null;
/// has_id, has_vector and nested filters. Keys use dot notation and <c>[]</c> projection.
/// </summary>
internal static class FakeQdrantFilter
{
    public static bool Matches(JsonNode? filter, StoredPoint point)
    {
        if (filter is null)
            return true;
        if (filter is not JsonObject clauses)
            throw QdrantApiException.Format("invalid type: expected a filter object");
        foreach (var (name, _) in clauses)
        {
            if (name is not ("must" or "should" or "must_not" or "min_should"))
                throw QdrantApiException.Format($"unknown field `{name}`, expected one of `should`, `min_should`, `must`, `must_not`");
        }
        if (clauses["must"] is { } must && !Conditions(must).All(c => Condition(c, point)))
            return false;
        if (clauses["should"] is { } should)
        {
            var list = Conditions(should);
            if (list.Count > 0 && !list.Any(c => Condition(c, point)))
                return false;
        }
        if (clauses["must_not"] is { } mustNot && Conditions(mustNot).Any(c => Condition(c, point)))
            return false;
        if (clauses["min_should"] is JsonObject minShould)
        {
            var conditions = Conditions(minShould["conditions"]);
            var minCount = minShould["min_count"]?.GetValue<int>() ?? 1;
            if (conditions.Count(c => Condition(c, point)) < minCount)
                return false;
        }
        return true;
    }

    /// <summary>Strict mode: every key a match or range condition reads must have a payload index.</summary>
    public static void RequireIndexes(JsonNode? filter, IReadOnlyDictionary<string, string> indexes)
    {
        if (filter is not JsonObject clauses)
            return;
        foreach (var clause in new[] { "must", "should", "must_not" })
        {
            if (clauses[clause] is { } node)
            {
                foreach (var condition in Conditions(node))
                    RequireIndexesInCondition(condition, indexes);
            }
        }
        if (clauses["min_should"] is JsonObject minShould)
        {
            foreach (var condition in Conditions(minShould["conditions"]))
                RequireIndexesInCondition(condition, indexes);
        }
    }

    /// <summary>Both filters must hold (how Qdrant merges a request's filter into its prefetches).</summary>
    public static JsonNode? And(JsonNode? a, JsonNode? b) =>
        a is null ? b?.DeepClone() : b is null ? a.DeepClone() : new JsonObject { ["must"] = new JsonArray(a.DeepClone(), b.DeepClone()) };

    /// <summary>The values a key reaches: arrays are flattened, a missing key gives none, a JSON null gives one null.</summary>
    public static List<JsonNode?> Values(JsonObject payload, string key)
    {
        var current = new List<JsonNode?> { payload };
        foreach (var rawSegment in key.Split('.'))
        {
            var project = rawSegment.EndsWith("[]", StringComparison.Ordinal);
            var segment = project ? rawSegment[..^2] : rawSegment;
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out var value))
                    continue;
                if (project && value is JsonArray array)
                    next.AddRange(array);
                else
                    next.Add(value);
            }
            current = next;
        }
        var flat = new List<JsonNode?>();
        foreach (var node in current)
        {
            if (node is JsonArray array)
                flat.AddRange(array);
            else
                flat.Add(node);
        }
        return flat;
    }

    public static DateTimeOffset? ParseDateTime(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;

    public static double? ParseNumber(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private static List<JsonNode> Conditions(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Where(c => c is not null).Select(c => c!).ToList(),
        JsonObject single => [single],
        _ => throw QdrantApiException.Format("data did not match any variant of untagged enum Condition"),
    };

    private static bool Condition(JsonNode node, StoredPoint point)
    {
        if (node is not JsonObject condition)
            throw QdrantApiException.Format("data did not match any variant of untagged enum Condition");
        if (condition.ContainsKey("key"))
            return FieldCondition(condition, point.Payload);
        if (condition["is_empty"] is JsonObject isEmpty)
            return IsEmpty(point.Payload, KeyOf(isEmpty));
        if (condition["is_null"] is JsonObject isNull)
            return IsNull(point.Payload, KeyOf(isNull));
        if (condition["has_id"] is JsonArray ids)
            return ids.Any(id => FakePointId.Parse(id) == point.Id);
        if (condition["has_vector"] is JsonValue vectorName)
        {
            var name = vectorName.GetValue<string>();
            return point.Dense.ContainsKey(name) || point.Sparse.ContainsKey(name);
        }
        if (condition.ContainsKey("nested"))
            throw QdrantApiException.BadRequest("the fake Qdrant server does not implement nested conditions");
        if (condition.ContainsKey("must") || condition.ContainsKey("should") || condition.ContainsKey("must_not") || condition.ContainsKey("min_should"))
            return Matches(condition, point);
        throw QdrantApiException.Format("data did not match any variant of untagged enum Condition");
    }

    private static bool FieldCondition(JsonObject condition, JsonObject payload)
    {
        var key = condition["key"]?.GetValue<string>() ?? throw QdrantApiException.Format("missing field `key`");
        var values = Values(payload, key);
        var result = true;
        var any = false;
        if (condition["match"] is JsonObject match)
        {
            any = true;
            result &= Match(match, values);
        }
        if (condition["range"] is JsonObject range)
        {
            any = true;
            result &= Range(range, values);
        }
        if (condition["values_count"] is JsonObject count)
        {
            any = true;
            var n = values.Count(v => v is not null);
            result &= (count["lt"] is null || n < count["lt"]!.GetValue<int>())
                && (count["gt"] is null || n > count["gt"]!.GetValue<int>())
                && (count["lte"] is null || n <= count["lte"]!.GetValue<int>())
                && (count["gte"] is null || n >= count["gte"]!.GetValue<int>());
        }
        if (condition["is_empty"] is JsonValue isEmpty && isEmpty.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            any = true;
            result &= IsEmpty(payload, key) == isEmpty.GetValue<bool>();
        }
        if (condition["is_null"] is JsonValue isNull && isNull.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            any = true;
            result &= IsNull(payload, key) == isNull.GetValue<bool>();
        }
        if (condition["geo_bounding_box"] is not null || condition["geo_radius"] is not null || condition["geo_polygon"] is not null)
            throw QdrantApiException.BadRequest("the fake Qdrant server does not implement geo conditions");
        if (!any)
            throw QdrantApiException.BadRequest($"field condition on `{key}` has no condition to check");
        return result;
    }

    private static bool Match(JsonObject match, List<JsonNode?> values)
    {
        if (match.TryGetPropertyValue("value", out var expected))
            return values.Any(v => Same(v, expected));
        if (match["any"] is JsonArray anyOf)
            return values.Any(v => anyOf.Any(e => Same(v, e)));
        if (match["except"] is JsonArray except)
            return values.Count > 0 && values.Any(v => v is not null && !except.Any(e => Same(v, e)));
        if (match["text"] is JsonValue text)
            return values.Any(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Contains(text.GetValue<string>(), StringComparison.Ordinal));
        if (match["prefix"] is JsonValue prefix)
            return values.Any(v => v is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().StartsWith(prefix.GetValue<string>(), StringComparison.Ordinal));
        throw QdrantApiException.Format("data did not match any variant of untagged enum Match");
    }

    private static bool Range(JsonObject range, List<JsonNode?> values)
    {
        var bounds = new[] { "lt", "gt", "lte", "gte" }.Where(range.ContainsKey).Where(b => range[b] is not null).ToList();
        var isDatetime = bounds.Any(b => range[b] is JsonValue v && v.GetValueKind() == JsonValueKind.String);
        foreach (var value in values)
        {
            bool inside;
            if (isDatetime)
            {
                if (ParseDateTime(value) is not { } actual)
                    continue;
                inside = bounds.All(b => Compare(actual.CompareTo(ParseDateTime(range[b]) ?? throw QdrantApiException.Format($"invalid datetime in range.{b}: {range[b]!.ToJsonString()}")), b));
            }
            else
            {
                if (ParseNumber(value) is not { } actual)
                    continue;
                inside = bounds.All(b => Compare(actual.CompareTo(ParseNumber(range[b]) ?? throw QdrantApiException.Format($"invalid number in range.{b}")), b));
            }
            if (inside)
                return true;
        }
        return false;
    }

    private static bool Compare(int comparison, string bound) => bound switch
    {
        "lt" => comparison < 0,
        "gt" => comparison > 0,
        "lte" => comparison <= 0,
        _ => comparison >= 0,
    };

    private static bool Same(JsonNode? actual, JsonNode? expected)
    {
        if (actual is null || expected is null)
            return false;
        if (actual is JsonValue a && expected is JsonValue e && a.GetValueKind() == JsonValueKind.Number && e.GetValueKind() == JsonValueKind.Number)
            return a.GetValue<decimal>() == e.GetValue<decimal>();
        return JsonNode.DeepEquals(actual, expected);
    }

    private static bool IsEmpty(JsonObject payload, string key)
    {
        var values = Values(payload, key);
        return values.Count == 0 || values.All(v => v is null);
    }

    private static bool IsNull(JsonObject payload, string key)
    {
        // Only an existing key whose value is JSON null; a missing key is empty, not null.
        var segments = key.Split('.');
        JsonNode? current = payload;
        foreach (var segment in segments)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out var next))
                return false;
            current = next;
        }
        return current is null;
    }

    private static string KeyOf(JsonObject field) =>
        field["key"]?.GetValue<string>() ?? throw QdrantApiException.Format("missing field `key`");

    private static void RequireIndexesInCondition(JsonNode node, IReadOnlyDictionary<string, string> indexes)
    {
        if (node is not JsonObject condition)
            return;
        if (condition["key"] is JsonValue keyNode)
        {
            var key = keyNode.GetValue<string>();
            if (condition["match"] is JsonObject && !indexes.ContainsKey(key))
                throw Unindexed(key, "keyword, integer, bool, uuid");
            if (condition["range"] is JsonObject range && !(indexes.TryGetValue(key, out var type) && type is "integer" or "float" or "datetime"))
            {
                var datetime = range.Any(p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String);
                throw Unindexed(key, datetime ? "datetime" : "integer, float");
            }
            return;
        }
        RequireIndexes(condition, indexes);
    }

    private static QdrantApiException Unindexed(string key, string types) => QdrantApiException.BadRequest(
        $"Index required but not found for \"{key}\" of one of the following types: [{types}]. Help: Create an index for this key or use a different filter.");
}
