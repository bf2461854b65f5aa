namespace NewsBot.Discord.Protocol.Wire;

internal sealed record GatewayBotResponse(string Url, int Shards);

/// <summary>The body of a 429: <c>retry_after</c> in seconds, <c>global</c> when every route is paused.</summary>
internal sealed record RateLimitBody(string? Message, double RetryAfter, bool Global, int? Code);

internal sealed record ErrorBody(int Code, string? Message);
