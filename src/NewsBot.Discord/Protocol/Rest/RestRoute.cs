namespace NewsBot.Discord.Protocol.Rest;

/// <summary>
/// One REST call: <see cref="Template"/> names the route for rate-limit buckets and logs (never the path, which can
/// hold an interaction token); <see cref="MajorParameter"/> is the top-level id Discord keys buckets by.
/// </summary>
internal sealed record RestRoute(HttpMethod Method, string Template, string Path, string MajorParameter, bool Authorized)
{
    public string BucketKey => Template + "|" + MajorParameter;

    public override string ToString() => Template;

    public static RestRoute GetGatewayBot() =>
        new(HttpMethod.Get, "GET /gateway/bot", "gateway/bot", "", true);

    public static RestRoute BulkOverwriteCommands(string applicationId, string? guildId) => guildId is null
        ? new(HttpMethod.Put, "PUT /applications/{application_id}/commands", $"applications/{applicationId}/commands", applicationId, true)
        : new(HttpMethod.Put, "PUT /applications/{application_id}/guilds/{guild_id}/commands", $"applications/{applicationId}/guilds/{guildId}/commands", guildId, true);

    public static RestRoute InteractionCallback(string interactionId, string token) =>
        new(HttpMethod.Post, "POST /interactions/{interaction_id}/{interaction_token}/callback", $"interactions/{interactionId}/{Escape(token)}/callback", interactionId, false);

    public static RestRoute EditOriginal(string applicationId, string token) =>
        new(HttpMethod.Patch, "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original", $"webhooks/{applicationId}/{Escape(token)}/messages/@original", applicationId + "/" + token, false);

    public static RestRoute DeleteOriginal(string applicationId, string token) =>
        new(HttpMethod.Delete, "DELETE /webhooks/{application_id}/{interaction_token}/messages/@original", $"webhooks/{applicationId}/{Escape(token)}/messages/@original", applicationId + "/" + token, false);

    public static RestRoute CreateFollowup(string applicationId, string token) =>
        new(HttpMethod.Post, "POST /webhooks/{application_id}/{interaction_token}", $"webhooks/{applicationId}/{Escape(token)}", applicationId + "/" + token, false);

    public static RestRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "POST /channels/{channel_id}/messages", $"channels/{channelId}/messages", channelId, true);

    public static RestRoute EditMessage(string channelId, string messageId) =>
        new(HttpMethod.Patch, "PATCH /channels/{channel_id}/messages/{message_id}", $"channels/{channelId}/messages/{messageId}", channelId, true);

    public static RestRoute StartThreadFromMessage(string channelId, string messageId) =>
        new(HttpMethod.Post, "POST /channels/{channel_id}/messages/{message_id}/threads", $"channels/{channelId}/messages/{messageId}/threads", channelId, true);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
