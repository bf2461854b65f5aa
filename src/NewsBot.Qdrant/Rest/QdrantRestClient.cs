using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using NewsBot.Core.Indexing;
using Polly;
using Polly.Retry;

namespace NewsBot.Qdrant.Rest;

/// <summary>
/// Qdrant's REST transport: the <c>api-key</c> header, retries of transient failures (unreachable, timeout, 408, 429,
/// 5xx) with exponential backoff and jitter honouring <c>Retry-After</c>, and errors turned into one-line messages that
/// say what to fix. Every request NewsBot sends is idempotent (fixed point ids, deletes by filter), so any of them can
/// be repeated after a failure whose outcome is unknown.
/// </summary>
internal sealed partial class QdrantRestClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _timeoutSeconds;
    private readonly int _maxRetries;

    public QdrantRestClient(QdrantOptions options, HttpMessageHandler? handler, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _timeoutSeconds = options.TimeoutSeconds;
        _maxRetries = options.MaxRetries;
        var baseUri = new Uri(options.Url.EndsWith('/') ? options.Url : options.Url + "/", UriKind.Absolute);
        DisplayUrl = new UriBuilder(baseUri) { UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

        var ownsHandler = handler is null;
        handler ??= new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            AutomaticDecompression = DecompressionMethods.All,
        };
        _http = new HttpClient(handler, disposeHandler: ownsHandler)
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("newsbot");
        if (!string.IsNullOrEmpty(options.ApiKey))
            _http.DefaultRequestHeaders.TryAddWithoutValidation("api-key", options.ApiKey);

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Result is { } response
                        ? $"HTTP {(int)response.StatusCode}"
                        : OneLine(Reason(args.Outcome.Exception));
                    LogRetry(_logger, reason, args.AttemptNumber + 1, _maxRetries, (long)args.RetryDelay.TotalMilliseconds);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }
        _pipeline = builder.Build();
    }

    /// <summary>The server's URL without credentials or a trailing slash, for messages.</summary>
    public string DisplayUrl { get; }

    /// <summary>Sends one request (retrying transient failures) and returns the final answer, whatever its status.</summary>
    /// <exception cref="IndexUnavailableException">The server could not be reached or did not answer in time.</exception>
    public async Task<QdrantReply> SendAsync(HttpMethod method, string path, byte[]? body, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var request = new HttpRequestMessage(method, path);
                    if (body is not null)
                        request.Content = new ByteArrayContent(body) { Headers = { ContentType = JsonMediaType } };
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                },
                cancellationToken);
            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return new QdrantReply(response.StatusCode, bytes, attempts);
            }
        }
        catch (HttpRequestException e)
        {
            throw new IndexUnavailableException(
                $"Cannot reach Qdrant at {DisplayUrl}: {OneLine(Reason(e))}{Tries(attempts)}. Is it running? Set Qdrant:Url.", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IndexUnavailableException(
                $"Cannot reach Qdrant at {DisplayUrl}: no answer within {_timeoutSeconds} s{Tries(attempts)}. Is it running? Set Qdrant:Url (or raise Qdrant:TimeoutSeconds).", e);
        }
    }

    /// <summary>Sends a request and reads <c>result</c> from a successful answer; any other answer throws.</summary>
    public async Task<T> CallAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<WireEnvelope<T>> resultType, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(method, path, body, cancellationToken);
        EnsureSuccess(reply, method, path);
        return ReadResult(reply, method, path, resultType);
    }

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    public T ReadResult<T>(QdrantReply reply, HttpMethod method, string path, JsonTypeInfo<WireEnvelope<T>> resultType)
    {
        WireEnvelope<T>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(reply.Body, resultType);
        }
        catch (JsonException e)
        {
            throw new IndexUnavailableException(
                $"Qdrant at {DisplayUrl} answered {method} /{StripQuery(path)} with something that is not Qdrant's JSON ({Snippet(reply.Body)}). " +
                "Does Qdrant:Url point at Qdrant's REST port (6333)?", e);
        }
        if (envelope is null || envelope.Result is null)
            throw new IndexUnavailableException($"Qdrant at {DisplayUrl} answered {method} /{StripQuery(path)} without a result ({Snippet(reply.Body)}).");
        return envelope.Result;
    }

    /// <summary>Throws the message a user can act on for any non-2xx answer.</summary>
    public void EnsureSuccess(QdrantReply reply, HttpMethod method, string path)
    {
        var code = (int)reply.Status;
        if (code is >= 200 and < 300)
            return;
        var error = ErrorText(reply);
        var where = $"{method} /{StripQuery(path)}";
        var message = code switch
        {
            401 => $"Qdrant rejected the API key: check Qdrant:ApiKey (HTTP 401 from {DisplayUrl}: {error}).",
            403 => $"Qdrant at {DisplayUrl} refused {where} (HTTP 403: {error}): check Qdrant:ApiKey; a read-only key cannot write.",
            408 or 429 or >= 500 => $"Qdrant at {DisplayUrl} kept failing: HTTP {code} on {where}{Tries(reply.Attempts)}: {error}. Check the server's health and logs.",
            _ => $"Qdrant refused {where} (HTTP {code}): {error}",
        };
        throw new IndexUnavailableException(message);
    }

    /// <summary>Qdrant's own <c>status.error</c>, or the plain-text body (401s are plain text), or the status name.</summary>
    public static string ErrorText(QdrantReply reply)
    {
        if (reply.Body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(reply.Body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("status", out var status)
                    && status.ValueKind == JsonValueKind.Object
                    && status.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.String)
                {
                    return OneLine(error.GetString()!);
                }
            }
            catch (JsonException)
            {
                // Not JSON: a plain-text body (401) or a proxy's page.
            }
            var text = OneLine(Encoding.UTF8.GetString(reply.Body)).Trim();
            if (text.Length > 0)
                return text.Length <= 300 ? text : text[..297] + "...";
        }
        return reply.Status.ToString();
    }

    public void Dispose() => _http.Dispose();

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken callerToken) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        // HttpClient's own timeout, not the caller giving up.
        { Exception: OperationCanceledException } => !callerToken.IsCancellationRequested,
        { Result: { } response } => (int)response.StatusCode is 408 or 429 or >= 500,
        _ => false,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is null || (int)response.StatusCode is not (429 or 503) || response.Headers.RetryAfter is not { } retryAfter)
            return null;
        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.Zero);
        if (delay < TimeSpan.Zero)
            delay = TimeSpan.Zero;
        return delay > MaxRetryAfter ? MaxRetryAfter : delay;
    }

    private static string Reason(Exception? exception)
    {
        if (exception is null)
            return "unknown error";
        // The HttpRequestException of a failed connect names the endpoint ("Connection refused (127.0.0.1:6333)").
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } http)
            return http.Message;
        var innermost = exception;
        while (innermost.InnerException is not null)
            innermost = innermost.InnerException;
        return innermost.Message;
    }

    private static string Tries(int attempts) => attempts > 1 ? $" (after {attempts} attempts)" : "";

    private static string StripQuery(string path)
    {
        var cut = path.IndexOf('?', StringComparison.Ordinal);
        return cut < 0 ? path : path[..cut];
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Snippet(byte[] body)
    {
        var text = OneLine(Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 120))).Trim();
        return text.Length == 0 ? "an empty body" : $"\"{text}\"";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Qdrant request failed ({Reason}); retry {Attempt} of {MaxRetries} in {DelayMilliseconds} ms")]
    private static partial void LogRetry(ILogger logger, string reason, int attempt, int maxRetries, long delayMilliseconds);
}

/// <summary>The final answer to a request: its status, its body, and how many attempts it took.</summary>
internal readonly record struct QdrantReply(HttpStatusCode Status, byte[] Body, int Attempts);
