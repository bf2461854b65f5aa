using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;

namespace NewsBot.Discord.Protocol.Rest;

/// <summary>
/// Discord's REST rate limits as learned from the response headers: a bucket per route and top-level id (mapped to
/// the <c>X-RateLimit-Bucket</c> hash once seen), emptied until <c>X-RateLimit-Reset-After</c>, plus a global pause
/// that holds every request after a global 429. Requests in one bucket go one at a time.
/// </summary>
internal sealed class RateLimitBuckets
{
    private const int MaxIdleBuckets = 512;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _globalGate = new();
    private DateTimeOffset _globalUntil = DateTimeOffset.MinValue;

    public RateLimitBuckets(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Waits for the route's bucket and the global pause; dispose the lease after the response is read.</summary>
    public async Task<IDisposable> AcquireAsync(RestRoute route, CancellationToken cancellationToken)
    {
        var bucket = BucketFor(route);
        await bucket.Gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var wait = TimeSpan.Zero;
                var now = _time.GetUtcNow();
                lock (_globalGate)
                {
                    if (_globalUntil > now)
                        wait = _globalUntil - now;
                }
                if (bucket.Remaining == 0 && bucket.ResetAt > now && bucket.ResetAt - now > wait)
                    wait = bucket.ResetAt - now;
                if (wait <= TimeSpan.Zero)
                    break;
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
        catch
        {
            bucket.Gate.Release();
            throw;
        }
        return new Lease(bucket);
    }

    /// <summary>
    /// The bucket's lease only when sending needs no wait for a rate-limit reset or a global pause (a request already
    /// in flight gets <paramref name="inFlightGrace"/> to finish); null when the route is congested.
    /// </summary>
    public async Task<IDisposable?> TryAcquireNowAsync(RestRoute route, TimeSpan inFlightGrace, CancellationToken cancellationToken)
    {
        var bucket = BucketFor(route);
        if (!await bucket.Gate.WaitAsync(inFlightGrace, cancellationToken))
            return null;
        var now = _time.GetUtcNow();
        bool paused;
        lock (_globalGate)
            paused = _globalUntil > now;
        if (paused || (bucket.Remaining == 0 && bucket.ResetAt > now))
        {
            bucket.Gate.Release();
            return null;
        }
        return new Lease(bucket);
    }

    public void Update(RestRoute route, HttpResponseHeaders headers)
    {
        if (Header(headers, "X-RateLimit-Bucket") is { Length: > 0 } hash)
            _hashes[route.Template] = hash;
        var bucket = BucketFor(route);
        if (int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
            bucket.Remaining = remaining;
        if (double.TryParse(Header(headers, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
            bucket.ResetAt = _time.GetUtcNow() + TimeSpan.FromSeconds(resetAfter);
    }

    /// <summary>After a 429: empties the route's bucket, or pauses everything when the limit was global.</summary>
    public void Limited(RestRoute route, TimeSpan retryAfter, bool global)
    {
        var until = _time.GetUtcNow() + retryAfter;
        if (global)
        {
            lock (_globalGate)
            {
                if (until > _globalUntil)
                    _globalUntil = until;
            }
            return;
        }
        var bucket = BucketFor(route);
        bucket.Remaining = 0;
        bucket.ResetAt = until;
    }

    private Bucket BucketFor(RestRoute route)
    {
        var key = _hashes.TryGetValue(route.Template, out var hash) ? hash + "|" + route.MajorParameter : route.BucketKey;
        if (_buckets.Count > MaxIdleBuckets && !_buckets.ContainsKey(key))
            Sweep();
        return _buckets.GetOrAdd(key, static _ => new Bucket());
    }

    /// <summary>Every interaction has its own bucket; forget the idle ones whose window has passed.</summary>
    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.Gate.CurrentCount == 1 && bucket.ResetAt < now)
                _buckets.TryRemove(key, out _);
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private sealed class Bucket
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int? Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;
    }

    private sealed class Lease(Bucket bucket) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                bucket.Gate.Release();
        }
    }
}
