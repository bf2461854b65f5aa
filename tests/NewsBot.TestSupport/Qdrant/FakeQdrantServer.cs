using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.TestSupport.OpenApi;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>
/// An in-process Qdrant on 127.0.0.1 that speaks the documented REST API for the endpoints NewsBot uses, keeps
/// collections in memory, records every request, checks every request against Qdrant's OpenAPI document, and can be
/// told to fail: the next requests with a status, dropped connections, delays, or staying down.
/// </summary>
public sealed class FakeQdrantServer : IAsyncDisposable
{
    /// <summary>Qdrant's REST body limit (<c>max_request_size_mb: 32</c>).</summary>
    public const int MaxRequestBytes = 32 * 1024 * 1024;

    private readonly FakeQdrantServerOptions _options;
    private readonly OpenApiContract? _contract;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeQdrantCollection> _collections = new(StringComparer.Ordinal);
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<string> _specViolations = [];
    private readonly List<string> _responseViolations = [];
    private readonly List<Fault> _faults = [];
    private WebApplication? _app;
    private Fault? _down;

    private FakeQdrantServer(FakeQdrantServerOptions options)
    {
        _options = options;
        if (options.ValidateRequests || options.ValidateResponses)
            _contract = OpenApiContract.Load(options.SpecPath ?? RepositoryPaths.SharedFile("specs", "qdrant-openapi.json"));
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:54321</c> (no trailing slash).</summary>
    public string Url { get; private set; } = "";

    public FakeQdrantServerOptions Options => _options;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
                return _requests.ToList();
        }
    }

    /// <summary>Requests that do not match Qdrant's OpenAPI document; each was answered with 400.</summary>
    public IReadOnlyList<string> SpecViolations
    {
        get
        {
            lock (_gate)
                return _specViolations.ToList();
        }
    }

    /// <summary>Answers of this fake that do not match the documented response schemas (a bug in the fake).</summary>
    public IReadOnlyList<string> ResponseViolations
    {
        get
        {
            lock (_gate)
                return _responseViolations.ToList();
        }
    }

    public static async Task<FakeQdrantServer> StartAsync(FakeQdrantServerOptions? options = null)
    {
        var server = new FakeQdrantServer(options ?? new FakeQdrantServerOptions());
        await server.StartCoreAsync();
        return server;
    }

    /// <summary>The next <paramref name="count"/> requests (matching <paramref name="when"/>) get <paramref name="statusCode"/> and Qdrant's error body.</summary>
    public void FailNext(int count, int statusCode = 503, TimeSpan? retryAfter = null, string? error = null, Func<RecordedRequest, bool>? when = null)
    {
        lock (_gate)
            _faults.Add(new Fault(FaultKind.Status, count, when, statusCode, retryAfter, error, TimeSpan.Zero));
    }

    /// <summary>The next <paramref name="count"/> requests (matching <paramref name="when"/>) lose their connection without an answer.</summary>
    public void DropNext(int count, Func<RecordedRequest, bool>? when = null)
    {
        lock (_gate)
            _faults.Add(new Fault(FaultKind.Drop, count, when, 0, null, null, TimeSpan.Zero));
    }

    /// <summary>The next <paramref name="count"/> requests (matching <paramref name="when"/>) are answered normally, after <paramref name="delay"/>.</summary>
    public void DelayNext(int count, TimeSpan delay, Func<RecordedRequest, bool>? when = null)
    {
        lock (_gate)
            _faults.Add(new Fault(FaultKind.Delay, count, when, 0, null, null, delay));
    }

    /// <summary>Every request fails, with 503 or a dropped connection, until <see cref="Recover"/>.</summary>
    public void GoDown(bool dropConnections = false)
    {
        lock (_gate)
            _down = new Fault(dropConnections ? FaultKind.Drop : FaultKind.Status, int.MaxValue, null, 503, null, "Service unavailable: the fake Qdrant server is down", TimeSpan.Zero);
    }

    public void Recover()
    {
        lock (_gate)
        {
            _down = null;
            _faults.Clear();
        }
    }

    public void ClearRequests()
    {
        lock (_gate)
            _requests.Clear();
    }

    /// <summary>A copy of a collection's schema, indexes and points, or null when it does not exist.</summary>
    public FakeQdrantCollectionState? Inspect(string collection)
    {
        lock (_gate)
            return _collections.TryGetValue(collection, out var c) ? c.Snapshot() : null;
    }

    /// <summary>Creates a collection directly (as another tool would have), from a <c>PUT /collections/{name}</c> body.</summary>
    public void SeedCollection(string name, string createBodyJson, IReadOnlyDictionary<string, string>? payloadIndexes = null)
    {
        var body = JsonNode.Parse(createBodyJson) as JsonObject ?? throw new ArgumentException("A JSON object is expected.", nameof(createBodyJson));
        lock (_gate)
        {
            var collection = new FakeQdrantCollection(name, body, _options.SupportsCollectionMetadata);
            foreach (var (field, type) in payloadIndexes ?? new Dictionary<string, string>())
                collection.Indexes[field] = type;
            _collections[name] = collection;
        }
    }

    /// <summary>Throws with every recorded violation when a request broke the OpenAPI contract.</summary>
    public void AssertRequestsMatchSpec()
    {
        var violations = SpecViolations;
        if (violations.Count > 0)
            throw new Xunit.Sdk.XunitException("Requests violated Qdrant's OpenAPI document:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = 2L * MaxRequestBytes;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest
        {
            Method = request.Method,
            Path = request.Path.Value ?? "/",
            Query = request.QueryString.Value ?? "",
            Body = body,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        };

        Fault? fault;
        lock (_gate)
        {
            _requests.Add(recorded);
            fault = _down ?? TakeFault(recorded);
        }

        if (fault is { Kind: FaultKind.Drop })
        {
            recorded.StatusCode = 0;
            context.Abort();
            return;
        }
        if (fault is { Kind: FaultKind.Delay } delay)
        {
            try
            {
                await Task.Delay(delay.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                recorded.StatusCode = 0;
                return; // the client gave up waiting
            }
        }
        if (fault is { Kind: FaultKind.Status } status)
        {
            if (status.RetryAfter is { } retryAfter)
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, recorded, status.StatusCode, status.Error ?? $"Service internal error: injected failure ({status.StatusCode})");
            return;
        }

        if (_options.ApiKey is { } key && !Authorized(request, key, out var authError))
        {
            recorded.StatusCode = 401;
            context.Response.StatusCode = 401;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(authError);
            return;
        }

        if (Encoding.UTF8.GetByteCount(body) > MaxRequestBytes)
        {
            await WriteErrorAsync(context, recorded, 400, $"Format error in JSON body: JSON payload ({Encoding.UTF8.GetByteCount(body)} bytes) is larger than allowed (limit: {MaxRequestBytes} bytes).");
            return;
        }

        if (_options.ValidateRequests && _contract is not null)
        {
            var violations = _contract.ValidateRequest(recorded.Method, recorded.Path, body);
            if (violations is null)
            {
                lock (_gate)
                    _specViolations.Add($"{recorded.Method} {recorded.Path}: no such operation in Qdrant's OpenAPI document");
                recorded.StatusCode = 404;
                context.Response.StatusCode = 404;
                return;
            }
            if (violations.Count > 0)
            {
                lock (_gate)
                    _specViolations.AddRange(violations.Select(v => $"{recorded.Method} {recorded.Path}: {v}"));
                await WriteErrorAsync(context, recorded, 400, "Format error in JSON body: " + violations[0]);
                return;
            }
        }

        try
        {
            var result = Route(recorded);
            if (result is TextResult text)
            {
                recorded.StatusCode = 200;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(text.Text);
                return;
            }
            var envelope = result is RawResult raw
                ? raw.Json
                : new JsonObject { ["result"] = ToNode(result), ["status"] = "ok", ["time"] = 0.000_1 };
            await WriteJsonAsync(context, recorded, 200, envelope);
        }
        catch (QdrantApiException e)
        {
            await WriteErrorAsync(context, recorded, e.StatusCode, e.Message);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            await WriteErrorAsync(context, recorded, 400, "Format error in JSON body: " + e.Message);
        }
    }

    private object? Route(RecordedRequest request)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var method = request.Method;
        var wait = request.Query.Contains("wait=true", StringComparison.OrdinalIgnoreCase);
        var strict = _options.RequireIndexedFilters;

        switch (segments)
        {
            case [] when method == "GET":
                return new RawResult(new JsonObject { ["title"] = "qdrant - vector search engine", ["version"] = _options.Version, ["commit"] = "fake" });
            case ["healthz" or "livez" or "readyz"] when method == "GET":
                return new TextResult("healthz check passed");
            case ["collections"] when method == "GET":
                lock (_gate)
                    return new JsonObject { ["collections"] = new JsonArray(_collections.Keys.Order(StringComparer.Ordinal).Select(n => (JsonNode)new JsonObject { ["name"] = n }).ToArray()) };
            case ["collections", var name] when method == "PUT":
                return CreateCollection(name, ParseObject(request.Body));
            case ["collections", var name] when method == "GET":
                lock (_gate)
                    return Collection(name).Info();
            case ["collections", var name] when method == "PATCH":
                lock (_gate)
                    Collection(name).Update(ParseObject(request.Body));
                return true;
            case ["collections", var name] when method == "DELETE":
                lock (_gate)
                    return _collections.Remove(name);
            case ["collections", var name, "exists"] when method == "GET":
                lock (_gate)
                    return new JsonObject { ["exists"] = _collections.ContainsKey(name) };
            case ["collections", var name, "index"] when method == "PUT":
                lock (_gate)
                    return Collection(name).CreateIndex(ParseObject(request.Body));
            case ["collections", var name, "index", var field] when method == "DELETE":
                lock (_gate)
                    return Collection(name).Indexes.Remove(field) ? new JsonObject { ["operation_id"] = 0, ["status"] = "completed" } : throw QdrantApiException.NotFound($"Index for field `{field}` does not exist");
            case ["collections", var name, "points"] when method == "PUT":
                lock (_gate)
                    return Collection(name).Upsert(ParseObject(request.Body), wait);
            case ["collections", var name, "points"] when method == "POST":
                lock (_gate)
                    return Collection(name).Retrieve(ParseObject(request.Body));
            case ["collections", var name, "points", "delete"] when method == "POST":
                lock (_gate)
                    return Collection(name).Delete(ParseObject(request.Body), wait, strict);
            case ["collections", var name, "points", "scroll"] when method == "POST":
                lock (_gate)
                    return Collection(name).Scroll(ParseObject(request.Body), strict);
            case ["collections", var name, "points", "count"] when method == "POST":
                lock (_gate)
                    return Collection(name).Count(ParseObject(request.Body), strict);
            case ["collections", var name, "points", "query"] when method == "POST":
                lock (_gate)
                    return Collection(name).Query(ParseObject(request.Body), strict);
            case ["collections", var name, "facet"] when method == "POST":
                lock (_gate)
                    return Collection(name).Facet(ParseObject(request.Body), strict);
            case ["collections", var name, "points", var id] when method == "GET":
                lock (_gate)
                    return Collection(name).RetrieveOne(id);
            default:
                throw new QdrantApiException(404, $"The fake Qdrant server does not implement {method} {request.Path}");
        }
    }

    private static JsonNode? ToNode(object? result) => result switch
    {
        null => null,
        JsonNode node => node,
        bool flag => JsonValue.Create(flag),
        _ => throw new InvalidOperationException($"Unexpected result type {result.GetType()}"),
    };

    private bool CreateCollection(string name, JsonObject body)
    {
        lock (_gate)
        {
            if (_collections.ContainsKey(name))
                throw new QdrantApiException(409, $"Collection `{name}` already exists!");
            _collections[name] = new FakeQdrantCollection(name, body, _options.SupportsCollectionMetadata);
            return true;
        }
    }

    private FakeQdrantCollection Collection(string name) =>
        _collections.TryGetValue(name, out var collection) ? collection : throw QdrantApiException.NotFound($"Collection `{name}` doesn't exist!");

    private static JsonObject ParseObject(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            throw QdrantApiException.Format("EOF while parsing a value at line 1 column 0");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw QdrantApiException.Format(e.Message);
        }
        return node as JsonObject ?? throw QdrantApiException.Format("invalid type: expected a JSON object");
    }

    private static bool Authorized(HttpRequest request, string key, out string error)
    {
        var given = request.Headers["api-key"].ToString();
        if (given.Length == 0 && request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            given = auth[7..].Trim();
        if (given.Length == 0)
        {
            error = "Must provide an API key or an Authorization bearer token";
            return false;
        }
        error = "Invalid API key or JWT";
        return string.Equals(given, key, StringComparison.Ordinal);
    }

    private Fault? TakeFault(RecordedRequest request)
    {
        foreach (var fault in _faults)
        {
            if (fault.Remaining > 0 && (fault.When is null || fault.When(request)))
            {
                fault.Remaining--;
                if (fault.Remaining == 0)
                    _faults.Remove(fault);
                return fault;
            }
        }
        return null;
    }

    private Task WriteErrorAsync(HttpContext context, RecordedRequest recorded, int status, string error) =>
        WriteJsonAsync(context, recorded, status, new JsonObject { ["status"] = new JsonObject { ["error"] = error }, ["time"] = 0.0 });

    private async Task WriteJsonAsync(HttpContext context, RecordedRequest recorded, int status, JsonObject json)
    {
        recorded.StatusCode = status;
        var text = json.ToJsonString();
        if (_options.ValidateResponses && _contract is not null
            && _contract.ValidateResponse(recorded.Method, recorded.Path, status, text) is { Count: > 0 } violations)
        {
            lock (_gate)
                _responseViolations.AddRange(violations.Select(v => $"{recorded.Method} {recorded.Path} -> {status}: {v}"));
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(text);
    }

    private enum FaultKind
    {
        Status,
        Drop,
        Delay,
    }

    private sealed class Fault(FaultKind kind, int remaining, Func<RecordedRequest, bool>? when, int statusCode, TimeSpan? retryAfter, string? error, TimeSpan delay)
    {
        public FaultKind Kind { get; } = kind;

        public int Remaining { get; set; } = remaining;

        public Func<RecordedRequest, bool>? When { get; } = when;

        public int StatusCode { get; } = statusCode;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public string? Error { get; } = error;

        public TimeSpan Delay { get; } = delay;
    }

    private sealed record TextResult(string Text);

    private sealed record RawResult(JsonObject Json);
}
