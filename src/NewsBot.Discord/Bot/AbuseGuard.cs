using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace NewsBot.Discord.Bot;

/// <summary>
/// Decides whether a question is answered now: a length cap, a per-user cooldown (time from <see cref="TimeProvider"/>)
/// and a per-server limit on answers in flight (a concurrency limiter partitioned by server). A refusal comes back as
/// the one sentence to show the user.
/// </summary>
internal sealed class AbuseGuard : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _cooldown;
    private readonly int _maxQuestionLength;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastAccepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _noticed = new(StringComparer.Ordinal);
    private readonly PartitionedRateLimiter<string> _inFlight;

    public AbuseGuard(IOptions<DiscordOptions> options, TimeProvider time)
    {
        var value = options.Value;
        _time = time;
        _cooldown = TimeSpan.FromSeconds(value.UserCooldownSeconds);
        _maxQuestionLength = value.MaxQuestionLength;
        var perGuild = value.MaxConcurrentAnswersPerGuild;
        _inFlight = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(
            key, _ => new ConcurrencyLimiterOptions { PermitLimit = perGuild, QueueLimit = 0 }));
    }

    public int MaxQuestionLength => _maxQuestionLength;

    /// <summary>
    /// Null with a lease to dispose when the work is done, or the sentence that explains the refusal.
    /// <paramref name="cooldown"/> is false for cheap look-ups that should not spend the user's cooldown.
    /// </summary>
    /// <param name="limitConcurrency">
    /// False for questions, whose concurrency <see cref="AnswerQueue"/> bounds (they wait their turn); true for
    /// look-ups, which are answered at once or turned away. With false, <paramref name="lease"/> is null.
    /// </param>
    public string? TryEnter(string userId, string? guildId, int questionLength, bool cooldown, out IDisposable? lease, bool limitConcurrency = true)
    {
        lease = null;
        if (questionLength > _maxQuestionLength)
            return UserMessages.TooLong(_maxQuestionLength);

        var now = _time.GetUtcNow();
        if (cooldown && _cooldown > TimeSpan.Zero && _lastAccepted.TryGetValue(userId, out var last) && now - last < _cooldown)
        {
            var wait = (int)Math.Ceiling((_cooldown - (now - last)).TotalSeconds);
            return UserMessages.Cooldown(wait, last + _cooldown);
        }

        RateLimitLease? permit = null;
        if (limitConcurrency)
        {
            permit = _inFlight.AttemptAcquire(Partition(userId, guildId));
            if (!permit.IsAcquired)
            {
                permit.Dispose();
                return UserMessages.Busy;
            }
        }

        if (cooldown && _cooldown > TimeSpan.Zero)
        {
            _lastAccepted[userId] = now;
            if (_lastAccepted.Count > 10_000)
                Prune(now);
        }
        lease = permit;
        return null;
    }

    /// <summary>Whether the user's last question is so recent that another would be turned away now.</summary>
    public bool InCooldown(string userId) =>
        _cooldown > TimeSpan.Zero && _lastAccepted.TryGetValue(userId, out var last) && _time.GetUtcNow() - last < _cooldown;

    /// <summary>
    /// True the first time it is asked in a user's cooldown window, false after: a mention that repeats within the
    /// window gets no second notice (20 mentions in 5 s got 19 notices, which queued on the channel's rate limit and
    /// delayed everyone else's answers).
    /// </summary>
    public bool FirstNoticeInWindow(string userId)
    {
        if (!_lastAccepted.TryGetValue(userId, out var window))
            return true;
        if (_noticed.TryGetValue(userId, out var noticed) && noticed == window)
            return false;
        _noticed[userId] = window;
        return true;
    }

    /// <summary>The server a question counts against; a DM counts against its user alone.</summary>
    public static string Partition(string userId, string? guildId) => guildId ?? "dm:" + userId;

    public void Dispose() => _inFlight.Dispose();

    private void Prune(DateTimeOffset now)
    {
        foreach (var (user, last) in _lastAccepted)
        {
            if (now - last >= _cooldown)
            {
                _lastAccepted.TryRemove(user, out _);
                _noticed.TryRemove(user, out _);
            }
        }
    }

    internal static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
