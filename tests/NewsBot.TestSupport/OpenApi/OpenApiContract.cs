using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsBot.TestSupport.OpenApi;

/// <summary>
/// An OpenAPI 3.0/3.1 document used as a contract: finds the operation for a method and path and checks JSON bodies
/// against its schemas, so that a fake server (or a handler in front of a client) can fail a test on any request a real
/// server would parse differently. Schemas are checked with JsonSchema.Net (see <see cref="SchemaEvaluator"/>).
/// </summary>
public sealed class OpenApiContract
{
    private static readonly ConcurrentDictionary<string, OpenApiContract> Loaded = new(StringComparer.Ordinal);
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private readonly JsonDocument _document;
    private readonly SchemaEvaluator _validator;
    private readonly List<Operation> _operations = [];
    private readonly List<Regex> _basePaths = [];

    private OpenApiContract(JsonDocument document)
    {
        _document = document;
        var root = document.RootElement;
        Version = root.TryGetProperty("openapi", out var version) ? version.GetString() ?? "" : "";
        _validator = new SchemaEvaluator(root, openApi30: Version.StartsWith("3.0", StringComparison.Ordinal));

        if (root.TryGetProperty("servers", out var servers) && servers.ValueKind == JsonValueKind.Array)
        {
            foreach (var server in servers.EnumerateArray())
            {
                if (!server.TryGetProperty("url", out var url) || url.GetString() is not { } text)
                    continue;
                var basePath = Uri.TryCreate(text, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : text;
                basePath = Uri.UnescapeDataString(basePath).TrimEnd('/');
                if (basePath.Length > 0)
                    _basePaths.Add(new Regex("^" + TemplateToPattern(basePath) + "(?=/|$)", RegexOptions.CultureInvariant));
            }
        }

        if (root.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Object)
        {
            foreach (var pathItem in paths.EnumerateObject())
            {
                var item = Deref(pathItem.Value);
                foreach (var method in Methods)
                {
                    if (!item.TryGetProperty(method, out var operation))
                        continue;
                    var pattern = new Regex("^" + TemplateToPattern(pathItem.Name) + "/?$", RegexOptions.CultureInvariant);
                    var literal = Regex.Replace(pathItem.Name, @"\{[^}]*\}", "").Length;
                    _operations.Add(new Operation(method.ToUpperInvariant(), pathItem.Name, pattern, literal, operation));
                }
            }
        }
        // The most literal template wins: /collections/aliases before /collections/{collection_name}.
        _operations.Sort(static (a, b) => b.LiteralLength.CompareTo(a.LiteralLength));
    }

    /// <summary>The document's <c>openapi</c> version, e.g. 3.0.1.</summary>
    public string Version { get; }

    /// <summary>Reads a spec file once per process; later calls with the same path share the parsed document.</summary>
    public static OpenApiContract Load(string specPath)
    {
        ArgumentNullException.ThrowIfNull(specPath);
        var fullPath = Path.GetFullPath(specPath);
        return Loaded.GetOrAdd(fullPath, static p =>
        {
            if (!File.Exists(p))
                throw new FileNotFoundException($"OpenAPI document not found at {p}. Is the shared folder beside the repository (or NEWSBOT_SHARED set)?", p);
            return Parse(File.ReadAllText(p));
        });
    }

    public static OpenApiContract Parse(string json) =>
        new(JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }));

    /// <summary>The operation's path template and method ("POST /collections/{collection_name}/points/query"), or null.</summary>
    public string? FindOperation(string method, string path) =>
        Find(method, path) is { } operation ? $"{operation.Method} {operation.Template}" : null;

    /// <summary>
    /// Null when no operation matches <paramref name="method"/> and <paramref name="path"/> (query string ignored);
    /// otherwise the violations of <paramref name="jsonBody"/> against the operation's application/json request schema,
    /// empty when it is valid.
    /// </summary>
    public IReadOnlyList<string>? ValidateRequest(string method, string path, string? jsonBody)
    {
        if (Find(method, path) is not { } operation)
            return null;
        var hasBody = !string.IsNullOrWhiteSpace(jsonBody);
        if (!operation.Definition.TryGetProperty("requestBody", out var requestBodyRef))
            return hasBody ? [$"{operation.Method} {operation.Template} takes no request body"] : [];
        var requestBody = Deref(requestBodyRef);
        if (!hasBody)
        {
            var required = requestBody.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
            return required ? [$"{operation.Method} {operation.Template} requires a request body"] : [];
        }
        if (JsonSchemaOf(requestBody) is not { } schema)
            return [$"{operation.Method} {operation.Template} has no application/json request body"];
        return Check(schema, jsonBody!);
    }

    /// <summary>
    /// Null when no operation matches; otherwise the violations of a response body against the schema documented for
    /// <paramref name="statusCode"/> (exact code, then <c>4XX</c>-style ranges, then <c>default</c>).
    /// </summary>
    public IReadOnlyList<string>? ValidateResponse(string method, string path, int statusCode, string? jsonBody)
    {
        if (Find(method, path) is not { } operation)
            return null;
        if (!operation.Definition.TryGetProperty("responses", out var responses))
            return [];
        var code = statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        JsonElement response;
        if (!responses.TryGetProperty(code, out response)
            && !responses.TryGetProperty(code[0] + "XX", out response)
            && !responses.TryGetProperty(code[0] + "xx", out response)
            && !responses.TryGetProperty("default", out response))
        {
            return [$"{operation.Method} {operation.Template} documents no {statusCode} response"];
        }
        if (JsonSchemaOf(Deref(response)) is not { } schema || string.IsNullOrWhiteSpace(jsonBody))
            return [];
        return Check(schema, jsonBody);
    }

    /// <summary>Violations of <paramref name="json"/> against a schema of the document: "#/components/schemas/Filter" or just "Filter".</summary>
    public IReadOnlyList<string> ValidateSchema(string schemaReference, string json)
    {
        ArgumentNullException.ThrowIfNull(schemaReference);
        var reference = schemaReference.StartsWith('#') ? schemaReference : "#/components/schemas/" + schemaReference;
        return Check(_validator.Resolve(reference), json);
    }

    /// <summary>Formats violations for an assertion message.</summary>
    public static string Describe(string method, string path, IReadOnlyList<string> violations)
    {
        var builder = new StringBuilder().Append(method).Append(' ').Append(path).AppendLine(" violates the OpenAPI contract:");
        builder.Append(SchemaEvaluator.Describe(violations));
        return builder.ToString();
    }

    private List<string> Check(JsonElement schema, string json)
    {
        JsonDocument body;
        try
        {
            body = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return [$"(body): not valid JSON: {e.Message}"];
        }
        using (body)
            return _validator.Validate(schema, body.RootElement);
    }

    private Operation? Find(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var cleanPath = CleanPath(path);
        foreach (var candidate in CandidatePaths(cleanPath))
        {
            foreach (var operation in _operations)
            {
                if (string.Equals(operation.Method, method, StringComparison.OrdinalIgnoreCase) && operation.Pattern.IsMatch(candidate))
                    return operation;
            }
        }
        return null;
    }

    private IEnumerable<string> CandidatePaths(string path)
    {
        yield return path;
        foreach (var basePath in _basePaths)
        {
            var match = basePath.Match(path);
            if (match.Success)
                yield return path[match.Length..] is { Length: > 0 } rest ? rest : "/";
        }
    }

    private static string CleanPath(string path)
    {
        if (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            path = absolute.AbsolutePath;
        var cut = path.IndexOfAny(['?', '#']);
        if (cut >= 0)
            path = path[..cut];
        return path.Length == 0 ? "/" : path;
    }

    private JsonElement? JsonSchemaOf(JsonElement bodyOrResponse)
    {
        if (!bodyOrResponse.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object)
            return null;
        if (content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out var schema))
            return schema;
        foreach (var mediaType in content.EnumerateObject())
        {
            var name = mediaType.Name;
            if ((name.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || name.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
                && mediaType.Value.TryGetProperty("schema", out var other))
            {
                return other;
            }
        }
        return null;
    }

    private JsonElement Deref(JsonElement element)
    {
        for (var hops = 0; hops < 32 && element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$ref", out var reference); hops++)
            element = _validator.Resolve(reference.GetString()!);
        return element;
    }

    private static string TemplateToPattern(string template)
    {
        var builder = new StringBuilder();
        var last = 0;
        foreach (Match parameter in Regex.Matches(template, @"\{[^}]*\}"))
        {
            builder.Append(Regex.Escape(template[last..parameter.Index])).Append("[^/]+");
            last = parameter.Index + parameter.Length;
        }
        builder.Append(Regex.Escape(template[last..]));
        return builder.ToString();
    }

    private sealed record Operation(string Method, string Template, Regex Pattern, int LiteralLength, JsonElement Definition);
}
