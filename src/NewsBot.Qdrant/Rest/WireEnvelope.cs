using System.Text.Json;

namespace NewsBot.Qdrant.Rest;

/// <summary>
/// Qdrant's answer: <c>{result, status: "ok", time}</c> on success, <c>{status: {error}, time}</c> (no result) on
/// failure, so <see cref="Status"/> is either a string or an object.
/// </summary>
internal sealed record WireEnvelope<T>(T? Result, JsonElement Status, double? Time);
