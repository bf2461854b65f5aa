namespace NewsBot.Discord.Bot;

/// <summary>
/// Streamed answers edit their message at most once per <see cref="Interval"/>: frequent edits are what get
/// streaming bots rate-limited. The first edit waits an interval too, so a quick answer goes out in one piece.
/// </summary>
internal sealed class EditThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1.5);

    private readonly TimeProvider _time;
    private long _last;

    public EditThrottle(TimeProvider time)
    {
        _time = time;
        _last = time.GetTimestamp();
    }

    /// <summary>True, and the clock restarts, when an edit may go out now.</summary>
    public bool TryBegin()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_last, now) < Interval)
            return false;
        _last = now;
        return true;
    }
}
