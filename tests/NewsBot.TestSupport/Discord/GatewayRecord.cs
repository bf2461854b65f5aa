using System.Text.Json;

namespace NewsBot.TestSupport.Discord;

/// <summary>Something that happened on the fake gateway: a connection, a frame from the bot, or a close.</summary>
/// <param name="Kind">"connect", "identify", "resume", "heartbeat", "close" (by the bot), "server-close", "frame" (other ops).</param>
/// <param name="Detail">The connection's path and query for "connect"; the close code for closes.</param>
public sealed record GatewayRecord(int Connection, string Kind, string? Detail, JsonElement Payload, DateTimeOffset At)
{
    public override string ToString() => $"#{Connection} {Kind} {Detail}";
}
