using System.Text.Json;

namespace NewsBot.Discord.Protocol.Gateway;

/// <summary>An op 0 event: <see cref="Type"/> is <c>t</c> (READY, MESSAGE_CREATE…), <see cref="Data"/> is <c>d</c>.</summary>
internal sealed record GatewayDispatch(string Type, JsonElement Data);
