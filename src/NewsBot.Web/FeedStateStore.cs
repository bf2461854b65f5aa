using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsBot.Web;

/// <summary>What the last poll of one feed learned: its validators for a conditional GET, and its items' fingerprints.</summary>
public sealed record FeedState
{
    [JsonPropertyName("etag")]
    public string? ETag { get; init; }

    [JsonPropertyName("last_modified")]
    public string? LastModified { get; init; }

    [JsonPropertyName("last_poll")]
    public DateTimeOffset? LastPoll { get; init; }

    /// <summary><c>ok</c>, <c>unchanged</c>, or the reason the last poll failed.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>Articles indexed from this feed so far.</summary>
    [JsonPropertyName("articles")]
    public int Articles { get; init; }

    /// <summary>Item link to a fingerprint of what the feed said of it; an item whose fingerprint is unchanged is not fetched again.</summary>
    [JsonPropertyName("items")]
    public Dictionary<string, string> Items { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Feed states in a small JSON file beside the index (replaced whole through a temporary file, so a crash leaves the
/// old one). A file that can't be read is treated as empty: the next poll fetches everything once, which costs
/// bandwidth, never data.
/// </summary>
public sealed class FeedStateStore(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Location { get; } = Path.GetFullPath(path);

    public async Task<Dictionary<string, FeedState>> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Location))
            return new(StringComparer.Ordinal);
        try
        {
            await using var stream = File.OpenRead(Location);
            return await JsonSerializer.DeserializeAsync<Dictionary<string, FeedState>>(stream, Json, cancellationToken) is { } states
                ? new Dictionary<string, FeedState>(states, StringComparer.Ordinal)
                : new(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return new(StringComparer.Ordinal);
        }
    }

    public async Task SaveAsync(IReadOnlyDictionary<string, FeedState> states, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
            var temporary = Location + ".tmp";
            await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(states, Json), cancellationToken);
            File.Move(temporary, Location, overwrite: true);
        }
        finally
        {
            _gate.Release();
        }
    }
}
