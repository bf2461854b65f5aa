using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Protocol.Rest;

/// <summary>
/// Discord's REST API v10: bot authorization, the User-Agent Discord asks for, per-route rate-limit buckets, 429s
/// waited out (pausing everything when global), and 5xx and network failures retried a few times. Errors and logs
/// name the route template only, so neither the bot token nor an interaction token ever reaches them.
/// </summary>
internal sealed partial class DiscordRestClient : IDisposable
{
    /// <summary>A thread the bot opens archives after a day without messages.</summary>
    private const int ThreadArchiveMinutes = 1440;

    public const string ProjectUrl = "https://github.com/newsbot/newsbot";

    private const int MaxRateLimitRetries = 5;
    private const int MaxServerRetries = 3;

    /// <summary>How long a notice waits for a request already in flight on its route before it is dropped.</summary>
    private static readonly TimeSpan NoticeGrace = TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly RateLimitBuckets _buckets;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DiscordRestClient(DiscordOptions options, TimeProvider time, ILogger<DiscordRestClient> logger, HttpMessageHandler? handler = null)
    {
        _time = time;
        _logger = logger;
        _buckets = new RateLimitBuckets(time);
        _authorization = new AuthenticationHeaderValue("Bot", BotToken.Normalize(options.Token ?? ""));
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(options.ApiBaseUrl.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
    }

    /// <summary><c>DiscordBot (url, version)</c>, as Discord requires of bots.</summary>
    public static string UserAgent { get; } = $"DiscordBot ({ProjectUrl}, {Version()})";

    public async Task<GatewayBotResponse> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        await SendAsync(RestRoute.GetGatewayBot(), null, DiscordJsonContext.Default.GatewayBotResponse, cancellationToken)
        ?? throw new InvalidDataException("Discord answered GET /gateway/bot without a body.");

    /// <summary>Replaces every command of the application (in one server when <paramref name="guildId"/> is set).</summary>
    public Task BulkOverwriteCommandsAsync(string applicationId, string? guildId, IReadOnlyList<ApplicationCommand> commands, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.BulkOverwriteCommands(applicationId, guildId), Serialize(commands, DiscordJsonContext.Default.IReadOnlyListApplicationCommand), cancellationToken);

    public Task CreateInteractionResponseAsync(string interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.InteractionCallback(interactionId, interactionToken), Serialize(response, DiscordJsonContext.Default.InteractionResponse), cancellationToken);

    public Task EditOriginalResponseAsync(string applicationId, string interactionToken, MessageBody body, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.EditOriginal(applicationId, interactionToken), Serialize(body, DiscordJsonContext.Default.MessageBody), cancellationToken);

    public Task DeleteOriginalResponseAsync(string applicationId, string interactionToken, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.DeleteOriginal(applicationId, interactionToken), null, cancellationToken);

    public Task CreateFollowupAsync(string applicationId, string interactionToken, MessageBody body, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.CreateFollowup(applicationId, interactionToken), Serialize(body, DiscordJsonContext.Default.MessageBody), cancellationToken);

    public async Task<DiscordMessage> CreateMessageAsync(string channelId, MessageBody body, CancellationToken cancellationToken)
    {
        return await SendAsync(RestRoute.CreateMessage(channelId), Serialize(WithNonce(body), DiscordJsonContext.Default.MessageBody), DiscordJsonContext.Default.DiscordMessage, cancellationToken)
            ?? throw new InvalidDataException("Discord answered a message create without the message.");
    }

    /// <summary>
    /// Posts a notice (a cooldown or a full queue) only when the channel's bucket can take it now: a notice that would
    /// wait for a rate-limit reset, or meets a 429, is dropped so it never delays an answer. False when dropped.
    /// </summary>
    public async Task<bool> TryCreateNoticeAsync(string channelId, MessageBody body, CancellationToken cancellationToken)
    {
        var sent = await SendAsync(RestRoute.CreateMessage(channelId), Serialize(WithNonce(body), DiscordJsonContext.Default.MessageBody), cancellationToken, droppable: true);
        if (sent is null)
            LogNoticeDropped(_logger, RestRoute.CreateMessage(channelId).Template);
        return sent is not null;
    }

    public Task EditMessageAsync(string channelId, string messageId, MessageBody body, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.EditMessage(channelId, messageId), Serialize(body with { MessageReference = null }, DiscordJsonContext.Default.MessageBody), cancellationToken);

    /// <summary>Opens a public thread on a message; the thread's channel id is the message's id.</summary>
    public Task StartThreadFromMessageAsync(string channelId, string messageId, string name, CancellationToken cancellationToken) =>
        SendAsync(RestRoute.StartThreadFromMessage(channelId, messageId), Serialize(new StartThreadBody(name, ThreadArchiveMinutes), DiscordJsonContext.Default.StartThreadBody), cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<T?> SendAsync<T>(RestRoute route, byte[]? body, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        var bytes = await SendAsync(route, body, cancellationToken);
        return bytes.Length == 0 ? default : JsonSerializer.Deserialize(bytes, responseType);
    }

    private async Task<byte[]> SendAsync(RestRoute route, byte[]? body, CancellationToken cancellationToken) =>
        (await SendAsync(route, body, cancellationToken, droppable: false))!;

    /// <summary>Sends with rate limits and retries; a <paramref name="droppable"/> request gives up (null) instead of waiting out a limit.</summary>
    private async Task<byte[]?> SendAsync(RestRoute route, byte[]? body, CancellationToken cancellationToken, bool droppable)
    {
        var rateLimited = 0;
        var failed = 0;
        while (true)
        {
            HttpResponseMessage response;
            byte[] content;
            var lease = droppable
                ? await _buckets.TryAcquireNowAsync(route, NoticeGrace, cancellationToken)
                : await _buckets.AcquireAsync(route, cancellationToken);
            if (lease is null)
                return null;
            using (lease)
            {
                try
                {
                    using var request = new HttpRequestMessage(route.Method, route.Path);
                    if (route.Authorized)
                        request.Headers.Authorization = _authorization;
                    if (body is not null)
                    {
                        request.Content = new ByteArrayContent(body);
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    }
                    response = await _http.SendAsync(request, cancellationToken);
                    content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                }
                catch (HttpRequestException ex) when (failed < MaxServerRetries)
                {
                    failed++;
                    var delay = ServerRetryDelay(failed);
                    LogRetry(_logger, route.Template, ex.Message, failed, MaxServerRetries, (long)delay.TotalMilliseconds);
                    await Task.Delay(delay, _time, cancellationToken);
                    continue;
                }
                catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new HttpRequestException($"Discord did not answer {route.Template} in time.", ex);
                }
                _buckets.Update(route, response.Headers);
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                    return content;

                if (response.StatusCode == HttpStatusCode.TooManyRequests && rateLimited < MaxRateLimitRetries)
                {
                    rateLimited++;
                    var (retryAfter, global) = ReadRateLimit(response, content);
                    _buckets.Limited(route, retryAfter, global);
                    LogRateLimited(_logger, route.Template, (long)retryAfter.TotalMilliseconds, global);
                    if (droppable)
                        return null;
                    continue;
                }

                if ((int)response.StatusCode >= 500 && failed < MaxServerRetries)
                {
                    failed++;
                    var delay = ServerRetryDelay(failed);
                    LogRetry(_logger, route.Template, $"HTTP {(int)response.StatusCode}", failed, MaxServerRetries, (long)delay.TotalMilliseconds);
                    await Task.Delay(delay, _time, cancellationToken);
                    continue;
                }

                throw Failure(route, response.StatusCode, content);
            }
        }
    }

    private static (TimeSpan RetryAfter, bool Global) ReadRateLimit(HttpResponseMessage response, byte[] content)
    {
        RateLimitBody? body = null;
        try
        {
            if (content.Length > 0)
                body = JsonSerializer.Deserialize(content, DiscordJsonContext.Default.RateLimitBody);
        }
        catch (JsonException)
        {
            // Cloudflare's 429 is HTML: fall back to the Retry-After header and treat it as global.
        }
        var headerGlobal = response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.Any(v => v.Equals("true", StringComparison.OrdinalIgnoreCase));
        var retryAfter = body is { RetryAfter: > 0 } ? TimeSpan.FromSeconds(body.RetryAfter)
            : response.Headers.RetryAfter?.Delta
            ?? (response.Headers.TryGetValues("Retry-After", out var values) && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromSeconds(1));
        return (retryAfter, body is null || body.Global || headerGlobal);
    }

    private static DiscordRestException Failure(RestRoute route, HttpStatusCode status, byte[] content)
    {
        ErrorBody? error = null;
        try
        {
            if (content.Length > 0)
                error = JsonSerializer.Deserialize(content, DiscordJsonContext.Default.ErrorBody);
        }
        catch (JsonException)
        {
        }
        var detail = error?.Message is { Length: > 0 } message ? $": {message} ({error.Code.ToString(CultureInfo.InvariantCulture)})" : "";
        return new DiscordRestException(status, error?.Code, $"Discord answered {(int)status} to {route.Template}{detail}");
    }

    private static TimeSpan ServerRetryDelay(int attempt) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1));

    private static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    /// <summary>A nonce makes a create retried after a 5xx or a dropped connection land once.</summary>
    private static MessageBody WithNonce(MessageBody body) => body with { Nonce = body.Nonce ?? NewNonce(), EnforceNonce = true };

    private static string NewNonce() => Guid.NewGuid().ToString("N")[..25];

    private static string Version()
    {
        var version = typeof(DiscordRestClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord rate-limited {Route}; waiting {RetryAfterMilliseconds} ms (global: {Global})")]
    private static partial void LogRateLimited(ILogger logger, string route, long retryAfterMilliseconds, bool global);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped a notice on {Route}: the route is rate-limited and answers go first")]
    private static partial void LogNoticeDropped(ILogger logger, string route);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord request {Route} failed ({Reason}); retry {Attempt} of {MaxRetries} in {DelayMilliseconds} ms")]
    private static partial void LogRetry(ILogger logger, string route, string reason, int attempt, int maxRetries, long delayMilliseconds);
}
