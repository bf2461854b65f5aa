namespace NewsBot.Discord.Protocol.Gateway;

[Flags]
internal enum GatewayIntents
{
    None = 0,
    Guilds = 1 << 0,
    GuildMessages = 1 << 9,
    DirectMessages = 1 << 12,

    /// <summary>Privileged: must be switched on in the Developer Portal, or the gateway closes with 4014.</summary>
    MessageContent = 1 << 15,
}

internal static class GatewayIntentSelection
{
    /// <summary>Servers, server messages and DMs; Message Content only when asked for, since it is privileged.</summary>
    public static GatewayIntents For(DiscordOptions options) =>
        GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages
        | (options.MessageContent ? GatewayIntents.MessageContent : GatewayIntents.None);
}
