namespace NewsBot.TestSupport.Qdrant;

/// <summary>A request the fake server received, and the status it answered (0 when the connection was dropped).</summary>
public sealed class RecordedRequest
{
    public required string Method { get; init; }

    /// <summary>The path without the query string, e.g. <c>/collections/newsbot/points</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The query string with its leading '?', or empty.</summary>
    public required string Query { get; init; }

    public required string Body { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public int StatusCode { get; internal set; }

    public override string ToString() => $"{Method} {Path}{Query} -> {StatusCode}";
}
