namespace NewsBot.Discord.Protocol.Gateway;

/// <summary>The gateway client's waits; tests shorten them.</summary>
internal sealed record GatewayTimings
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time to let a close frame go out before the socket is dropped.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first reconnect after a failed connection waits about this long, doubling up to <see cref="BackoffMax"/>.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After op 9 with <c>d: false</c>, a random wait in this range before the fresh Identify.</summary>
    public TimeSpan InvalidSessionDelayMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan InvalidSessionDelayMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed resume connections in a row after which the session is dropped for a fresh Identify.</summary>
    public int MaxResumeAttempts { get; init; } = 3;
}
