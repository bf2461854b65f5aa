using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace NewsBot.Web;

/// <summary>What a fetch brought back: the final URL after redirects, and the body (empty on 304).</summary>
public sealed record WebResponse(Uri Url, HttpStatusCode Status, byte[] Body, string? MediaType, string? ETag, string? LastModified)
{
    /// <summary>The charset the server named in Content-Type, if any.</summary>
    public string? Charset { get; init; }

    public bool NotModified => Status == HttpStatusCode.NotModified;
}

/// <summary>A URL that could not be fetched, with the reason as a reader should see it.</summary>
public sealed class WebFetchException(string reason, bool refused = false) : Exception(reason)
{
    /// <summary>Refused by our own rules (a private address), not a failure of the site: no retry or fallback helps.</summary>
    public bool Refused { get; } = refused;
}

/// <summary>
/// Polite, safe GETs of feeds and pages. HttpClient does the HTTP; this class adds what a crawler owes the sites it
/// reads and the network it runs in, which no served library offers together: a User-Agent naming NewsBot and a
/// contact, robots.txt honoured, one request at a time per host with a pause between, conditional GETs, retries of
/// 5xx and 429 honouring Retry-After, limits on time, size, redirects (never https to http) and content types, only
/// http and https, and no loopback/private/link-local/metadata addresses unless allowed.
/// </summary>
public sealed partial class WebFetcher : IDisposable
{
    public const string ProductToken = "NewsBot";

    private static readonly string[] FeedTypes = ["application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml", "application/feed+json"];
    private static readonly string[] PageTypes = ["text/html", "application/xhtml+xml"];
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);

    private readonly FeedsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public WebFetcher(FeedsOptions options, TimeProvider time, ILogger<WebFetcher> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        UserAgent = $"{ProductToken}/{Version()} (+{options.Contact.Trim()})";
    }

    /// <summary><c>NewsBot/version (+contact)</c>: who is asking, and how to reach them.</summary>
    public string UserAgent { get; }

    /// <summary>
    /// GETs <paramref name="url"/> expecting a feed or a page; with an ETag or Last-Modified from last time, a 304
    /// comes back as <see cref="WebResponse.NotModified"/>. Every refusal or failure is a <see cref="WebFetchException"/>.
    /// </summary>
    public async Task<WebResponse> GetAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        CheckScheme(url);
        if (!await RobotsAllowAsync(url, cancellationToken))
            throw new WebFetchException($"robots.txt of {url.Host} disallows {url.AbsolutePath} for {ProductToken}");
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            using var response = await SendWithRetriesAsync(current, etag, lastModified, cancellationToken);
            if (IsRedirect(response.StatusCode))
            {
                if (redirects >= _options.MaxRedirects)
                    throw new WebFetchException($"more than {_options.MaxRedirects} redirects");
                if (response.Headers.Location is not { } location)
                    throw new WebFetchException($"HTTP {(int)response.StatusCode} without a Location");
                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                CheckScheme(next);
                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
                    throw new WebFetchException($"redirected from https to http ({next}); refused");
                if (!await RobotsAllowAsync(next, cancellationToken))
                    throw new WebFetchException($"redirected to {next}, which robots.txt of {next.Host} disallows");
                current = next;
                continue;
            }
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new WebResponse(current, response.StatusCode, [], null, etag, lastModified);
            if (!response.IsSuccessStatusCode)
                throw new WebFetchException($"HTTP {(int)response.StatusCode}{(response.ReasonPhrase is { Length: > 0 } phrase ? " " + phrase : "")}");
            var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
            if (mediaType is not null && !FeedTypes.Contains(mediaType) && !PageTypes.Contains(mediaType))
                throw new WebFetchException($"content type {mediaType} is neither a feed nor a web page");
            var body = await ReadLimitedAsync(response, cancellationToken);
            return new WebResponse(current, response.StatusCode, body, mediaType, response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture))
            {
                Charset = response.Content.Headers.ContentType?.CharSet,
            };
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static void CheckScheme(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new WebFetchException($"only http and https URLs are fetched, not '{url}'");
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await SendPolitelyAsync(url, etag, lastModified, cancellationToken);
            var retryable = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
            if (!retryable || attempt >= _options.MaxRetries)
                return response;
            var delay = RetryDelay(response, attempt);
            response.Dispose();
            if (delay > MaxRetryAfter)
                throw new WebFetchException($"HTTP {(int)response.StatusCode}, and the site asks to wait {delay.TotalSeconds:0} s; try again later");
            LogRetry(_logger, url.Host, (int)response.StatusCode, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    private static TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        if (response.Headers.RetryAfter is { } after)
        {
            if (after.Delta is { } delta)
                return delta;
            if (after.Date is { } date)
                return date - DateTimeOffset.UtcNow > TimeSpan.Zero ? date - DateTimeOffset.UtcNow : TimeSpan.Zero;
        }
        return TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt));
    }

    /// <summary>One request at a time per host, at least Feeds:HostDelay after the previous one ended.</summary>
    private async Task<HttpResponseMessage> SendPolitelyAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        var host = _hosts.GetOrAdd(url.Authority, static _ => new HostState());
        await host.Gate.WaitAsync(cancellationToken);
        try
        {
            var wait = host.NextAt - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, _time, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            request.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.1");
            if (etag is { Length: > 0 } && EntityTagHeaderValue.TryParse(etag, out var tag))
                request.Headers.IfNoneMatch.Add(tag);
            if (lastModified is { Length: > 0 } && DateTimeOffset.TryParse(lastModified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                request.Headers.IfModifiedSince = since;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new WebFetchException($"no answer within {_options.TimeoutSeconds} s");
            }
            catch (HttpRequestException e)
            {
                throw e.InnerException as WebFetchException ?? new WebFetchException(Reason(e));
            }
        }
        finally
        {
            host.NextAt = _time.GetUtcNow() + _options.HostDelay;
            host.Gate.Release();
        }
    }

    private static string Reason(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed (" + (e.InnerException?.Message ?? e.Message) + ")",
        HttpRequestError.ConnectionError => "could not connect (" + (e.InnerException?.Message ?? e.Message) + ")",
        _ => e.Message,
    };

    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > _options.MaxBytes)
            throw new WebFetchException($"larger than Feeds:MaxBytes ({response.Content.Headers.ContentLength} > {_options.MaxBytes} bytes)");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, linked.Token)) > 0)
            {
                if (buffer.Length + read > _options.MaxBytes)
                    throw new WebFetchException($"larger than Feeds:MaxBytes ({_options.MaxBytes} bytes)");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new WebFetchException($"the body did not arrive within {_options.TimeoutSeconds} s");
        }
        catch (IOException e)
        {
            throw new WebFetchException("the connection broke while reading (" + e.Message + ")");
        }
    }

    /// <summary>Reads and caches each site's robots.txt (for a day); one that can't be had allows everything.</summary>
    private async Task<bool> RobotsAllowAsync(Uri url, CancellationToken cancellationToken)
    {
        var host = _hosts.GetOrAdd(url.Authority, static _ => new HostState());
        if (host.Robots is null || host.RobotsUntil < _time.GetUtcNow())
        {
            var rules = RobotsRules.AllowAll;
            try
            {
                using var response = await SendPolitelyAsync(new Uri(url, "/robots.txt"), null, null, cancellationToken);
                if (response.IsSuccessStatusCode)
                    rules = RobotsRules.Parse(System.Text.Encoding.UTF8.GetString(await ReadLimitedAsync(response, cancellationToken)), ProductToken);
            }
            catch (WebFetchException e) when (e.Refused)
            {
                throw;
            }
            catch (WebFetchException)
            {
                // No robots.txt to be had: RFC 9309 lets a crawler proceed when it is unreachable as a 4xx; the page fetch reports its own failure.
            }
            host.Robots = rules;
            host.RobotsUntil = _time.GetUtcNow() + TimeSpan.FromDays(1);
        }
        return host.Robots.Allows(url.PathAndQuery);
    }

    /// <summary>Connects only to addresses that may be fetched, checked on the resolved address itself.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        if (addresses.Length == 0)
            throw new WebFetchException("the host name does not resolve");
        if (!_options.AllowPrivateAddresses && addresses.FirstOrDefault(a => !AddressGuard.IsPublic(a)) is { } blocked)
            throw new WebFetchException($"refused: {context.DnsEndPoint.Host} is a loopback, private, link-local or metadata address ({blocked}); set Feeds:AllowPrivateAddresses=true to fetch from your own network", refused: true);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Version() =>
        typeof(WebFetcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0";

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Host} answered {Status}; retrying in {DelayMilliseconds} ms")]
    private static partial void LogRetry(ILogger logger, string host, int status, long delayMilliseconds);

    private sealed class HostState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public DateTimeOffset NextAt { get; set; } = DateTimeOffset.MinValue;

        public RobotsRules? Robots { get; set; }

        public DateTimeOffset RobotsUntil { get; set; }
    }
}
