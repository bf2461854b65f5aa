namespace NewsBot.Discord.Protocol.Gateway;

/// <summary>
/// Keeps us under the gateway's 120 events per 60 s. A token bucket of <see cref="Capacity"/> refilled at one per
/// second lets through at most 50 + 60 = 110 events in any minute, leaving room for heartbeats, which bypass it.
/// </summary>
internal sealed class GatewaySendLimiter
{
    public const double Capacity = 50;
    public const double PerSecond = 1;

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _tokens = Capacity;
    private long _stamp;

    public GatewaySendLimiter(TimeProvider time)
    {
        _time = time;
        _stamp = time.GetTimestamp();
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(Capacity, _tokens + (_time.GetElapsedTime(_stamp, now).TotalSeconds * PerSecond));
                _stamp = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return;
                }
                wait = TimeSpan.FromSeconds((1 - _tokens) / PerSecond);
            }
            await Task.Delay(wait, _time, cancellationToken);
        }
    }
}
