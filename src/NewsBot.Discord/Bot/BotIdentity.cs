namespace NewsBot.Discord.Bot;

/// <summary>Who the bot is, learned from READY: its user id (to spot mentions and its own messages) and application id.</summary>
internal sealed class BotIdentity
{
    private volatile string? _userId;
    private volatile string? _applicationId;

    public string? UserId => _userId;

    public string? ApplicationId => _applicationId;

    public void Set(string? userId, string? applicationId)
    {
        if (userId is { Length: > 0 })
            _userId = userId;
        if (applicationId is { Length: > 0 })
            _applicationId = applicationId;
    }
}
