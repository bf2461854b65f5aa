using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Discord.Protocol.Wire;

/// <summary>Every gateway frame: <c>s</c> and <c>t</c> are set only on dispatches (op 0).</summary>
internal sealed record GatewayPayload(int Op, JsonElement D, long? S, string? T);

/// <summary>A frame we send whose <c>d</c> is an object.</summary>
internal sealed record GatewayFrame<T>(int Op, T D);

/// <summary>Op 1: <c>d</c> is the last sequence number, written as <c>null</c> before the first dispatch.</summary>
internal sealed record HeartbeatFrame(int Op, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? D);

internal sealed record HelloData(int HeartbeatInterval);

internal sealed record IdentifyData(string Token, IdentifyProperties Properties, int Intents);

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

/// <summary>Op 6; the sequence field is named <c>seq</c>, not <c>s</c>.</summary>
internal sealed record ResumeData(string Token, string SessionId, long Seq);

internal sealed record ReadyData(int V, DiscordUser? User, string? SessionId, string? ResumeGatewayUrl, ReadyApplication? Application);

internal sealed record ReadyApplication(string? Id);
