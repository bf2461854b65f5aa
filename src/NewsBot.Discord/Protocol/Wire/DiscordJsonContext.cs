using System.Text.Json.Serialization;

namespace NewsBot.Discord.Protocol.Wire;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(GatewayFrame<IdentifyData>))]
[JsonSerializable(typeof(GatewayFrame<ResumeData>))]
[JsonSerializable(typeof(HeartbeatFrame))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(MessageBody))]
[JsonSerializable(typeof(StartThreadBody))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationCommand>))]
[JsonSerializable(typeof(GatewayBotResponse))]
[JsonSerializable(typeof(RateLimitBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
