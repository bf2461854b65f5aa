using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace NewsBot.TestSupport.OpenApi;

/// <summary>
/// Checks JSON against the schemas of an OpenAPI document with JsonSchema.Net (draft 2020-12, which OpenAPI 3.1
/// uses). The document is registered whole, so <c>$ref</c>s into <c>#/components/...</c> resolve; OpenAPI 3.0's
/// <c>nullable: true</c>, which JSON Schema does not know, is rewritten first to <c>anyOf: [schema, {type: null}]</c>
/// (a schema whose only assertion is <c>nullable</c> accepts only null, as the 3.0 documents mean it).
/// </summary>
internal sealed class SchemaEvaluator
{
    private static int _documents;

    private readonly JsonElement _document;
    private readonly Uri _baseUri;
    private readonly bool _openApi30;
    private readonly SchemaRegistry _registry = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _built = new(StringComparer.Ordinal);
    private readonly BuildOptions _options;

    public SchemaEvaluator(JsonElement document, bool openApi30)
    {
        _openApi30 = openApi30;
        _baseUri = new Uri($"https://newsbot.test/openapi/{Interlocked.Increment(ref _documents)}.json");
        var node = JsonNode.Parse(document.GetRawText())!;
        if (openApi30)
            node = RewriteNullable(node)!;
        _document = JsonSerializer.SerializeToElement(node);
        _registry.Register(_baseUri, new JsonElementBaseDocument(_document, _baseUri));
        // Draft 2020-12 (OpenAPI 3.1's dialect), with the documents' extension keywords (x-discord-union, example,
        // discriminator) read as annotations rather than refused.
        _options = new BuildOptions { SchemaRegistry = _registry, Dialect = Dialect.Draft202012.With([], null, null, true) };
    }

    /// <summary>Every violation of <paramref name="schema"/> (an element of the document, or inline) by <paramref name="instance"/>, as "path: message" lines.</summary>
    public List<string> Validate(JsonElement schema, JsonElement instance)
    {
        var text = schema.GetRawText();
        var built = _built.GetOrAdd(text, Build);
        var results = built.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
            return [];
        var errors = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
                continue;
            var at = detail.InstanceLocation.ToString();
            foreach (var (keyword, message) in detail.Errors)
                errors.Add($"{(at.Length == 0 ? "(body)" : at)}: {keyword}: {message}");
        }
        if (errors.Count == 0)
            errors.Add("(body): does not match the schema");
        return [.. errors.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The element a local <c>$ref</c> (#/...) points at.</summary>
    public JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith('#'))
            throw new NotSupportedException($"Only local $ref values (#/...) are supported, not '{reference}'.");
        var current = _document;
        foreach (var raw in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var next))
                current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
                current = current[index];
            else
                throw new InvalidOperationException($"$ref '{reference}' does not resolve in the document.");
        }
        return current;
    }

    public static string Describe(IEnumerable<string> errors)
    {
        var builder = new StringBuilder();
        foreach (var error in errors)
            builder.Append("  - ").AppendLine(error);
        return builder.ToString();
    }

    /// <summary>An inline schema built on its own, its local <c>$ref</c>s pointed at the registered document.</summary>
    private JsonSchema Build(string text)
    {
        var node = JsonNode.Parse(text)!;
        if (_openApi30)
            node = RewriteNullable(node)!;
        AbsoluteRefs(node);
        var uri = new Uri(_baseUri, $"schema/{_built.Count}-{Guid.NewGuid():N}.json");
        return JsonSchema.Build(JsonSerializer.SerializeToElement(node), _options, uri);
    }

    private void AbsoluteRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue value && value.TryGetValue<string>(out var reference) && reference.StartsWith('#'))
                    obj["$ref"] = _baseUri + reference;
                foreach (var (_, child) in obj.ToList())
                    AbsoluteRefs(child);
                break;
            case JsonArray array:
                foreach (var child in array)
                    AbsoluteRefs(child);
                break;
        }
    }

    private static JsonNode? RewriteNullable(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                    obj[key] = RewriteNullable(child?.DeepClone());
                if (obj["nullable"] is JsonValue flag && flag.TryGetValue<bool>(out var nullable))
                {
                    obj.Remove("nullable");
                    if (!nullable)
                        return obj;
                    var assertions = obj.Where(p => p.Key is not ("description" or "title" or "default" or "example" or "deprecated")).ToList();
                    return assertions.Count == 0
                        ? new JsonObject { ["type"] = "null" }
                        : new JsonObject { ["anyOf"] = new JsonArray(obj.DeepClone(), new JsonObject { ["type"] = "null" }) };
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    array[i] = RewriteNullable(array[i]?.DeepClone());
                return array;
            default:
                return node;
        }
    }
}
