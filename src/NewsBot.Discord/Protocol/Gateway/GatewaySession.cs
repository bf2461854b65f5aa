namespace NewsBot.Discord.Protocol.Gateway;

/// <summary>
/// What a Resume needs: the session id and resume URL from READY and the last non-null sequence number. Cleared as a
/// whole when the session is invalidated, so a stale sequence never meets a new session.
/// </summary>
internal sealed class GatewaySession
{
    private readonly Lock _gate = new();
    private string? _sessionId;
    private Uri? _resumeUrl;
    private long _sequence = -1;

    public string? SessionId
    {
        get
        {
            lock (_gate)
                return _sessionId;
        }
    }

    public Uri? ResumeUrl
    {
        get
        {
            lock (_gate)
                return _resumeUrl;
        }
    }

    /// <summary>The last sequence number seen, or null before the first dispatch.</summary>
    public long? Sequence
    {
        get
        {
            var value = Interlocked.Read(ref _sequence);
            return value < 0 ? null : value;
        }
    }

    public bool CanResume
    {
        get
        {
            lock (_gate)
                return _sessionId is not null && _resumeUrl is not null;
        }
    }

    public void Start(string sessionId, Uri resumeUrl)
    {
        lock (_gate)
        {
            _sessionId = sessionId;
            _resumeUrl = resumeUrl;
        }
    }

    /// <summary>Only a non-null <c>s</c> may move the sequence.</summary>
    public void Observe(long? sequence)
    {
        if (sequence is { } s)
            Interlocked.Exchange(ref _sequence, s);
    }

    public void Clear()
    {
        lock (_gate)
        {
            _sessionId = null;
            _resumeUrl = null;
            Interlocked.Exchange(ref _sequence, -1);
        }
    }
}
