namespace NewsBot.TestSupport.Discord;

/// <summary>An interaction the fake dispatched; its token keys the callback and webhook routes.</summary>
public sealed record FakeInteraction(string Id, string Token, string ChannelId, string? GuildId, string UserId, DateTimeOffset DispatchedAt)
{
    public string CallbackPath => $"/interactions/{Id}/{Token}/callback";

    public string OriginalPath(string applicationId) => $"/webhooks/{applicationId}/{Token}/messages/@original";

    public string FollowupPath(string applicationId) => $"/webhooks/{applicationId}/{Token}";
}
