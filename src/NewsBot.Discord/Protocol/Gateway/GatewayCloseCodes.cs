namespace NewsBot.Discord.Protocol.Gateway;

/// <summary>What each gateway close code means for the next connection.</summary>
internal static class GatewayCloseCodes
{
    public const int InvalidSequence = 4007;
    public const int SessionTimedOut = 4009;

    /// <summary>The close code we use ourselves: anything but 1000/1001 keeps the session resumable.</summary>
    public const int Reconnecting = 4000;

    /// <summary>Null when the code can be retried; otherwise what the user has to fix.</summary>
    public static string? FatalMessage(int code) => code switch
    {
        4004 => "Discord rejected the bot token (gateway close code 4004, authentication failed): check Discord:Token; copy a fresh token from the Bot page of the Developer Portal.",
        4010 => "Discord rejected the shard settings (gateway close code 4010, invalid shard).",
        4011 => "Discord requires this bot to shard (gateway close code 4011): it is in more than 2500 servers, which NewsBot does not support.",
        4012 => "Discord rejected the gateway API version (gateway close code 4012); this build speaks Gateway v10.",
        4013 => "Discord rejected the gateway intents (gateway close code 4013, invalid intents).",
        4014 => "Discord refused a privileged intent (gateway close code 4014, disallowed intents): enable the Message Content intent on the Bot page of the Developer Portal, or unset Discord:MessageContent.",
        _ => null,
    };

    /// <summary>Codes after which the session is gone: reconnect with a fresh Identify.</summary>
    public static bool EndsSession(int code) => code is InvalidSequence or SessionTimedOut;
}
