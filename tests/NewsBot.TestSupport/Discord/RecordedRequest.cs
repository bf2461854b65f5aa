using System.Text.Json;

namespace NewsBot.TestSupport.Discord;

/// <summary>A REST request the fake Discord received. <see cref="Path"/> is relative to <c>/api/v10</c>.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string? Authorization,
    string? UserAgent,
    string? ContentType,
    string? Body,
    int Status,
    DateTimeOffset At)
{
    /// <summary>The body parsed, or <c>default</c> (Undefined) when there was none.</summary>
    public JsonElement Json => string.IsNullOrWhiteSpace(Body) ? default : JsonDocument.Parse(Body).RootElement.Clone();

    public bool Is(string method, string pathPrefix) =>
        string.Equals(Method, method, StringComparison.OrdinalIgnoreCase) && Path.StartsWith(pathPrefix, StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Path} → {Status}";
}
