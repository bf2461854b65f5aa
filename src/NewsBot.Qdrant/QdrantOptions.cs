using System.Globalization;

namespace NewsBot.Qdrant;

/// <summary>Settings of the <c>Qdrant</c> section, used when <c>Index:Provider=qdrant</c>.</summary>
public sealed class QdrantOptions
{
    public const string SectionName = "Qdrant";

    /// <summary>The memory placements Qdrant offers (Qdrant:Memory), as Qdrant.Client names them.</summary>
    public static readonly IReadOnlyList<string> MemoryPlacements = ["Cold", "Cached", "Pinned"];

    /// <summary>gRPC endpoint of the server or cluster (Qdrant:Url), port 6334; https for Qdrant Cloud.</summary>
    public string Url { get; set; } = "http://localhost:6334";

    /// <summary>Sent as the <c>api-key</c> metadata of every call when set (Qdrant:ApiKey). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The collection that holds the passages (Qdrant:Collection).</summary>
    public string Collection { get; set; } = "newsbot";

    /// <summary>Shards of a new collection; null leaves the server's default (1, or the node count in a cluster). Cannot be changed later.</summary>
    public int? ShardNumber { get; set; }

    /// <summary>Copies of each shard in a new collection; null leaves the server's default (1).</summary>
    public int? ReplicationFactor { get; set; }

    /// <summary>Replicas that must confirm a write; at most <see cref="ReplicationFactor"/>. Null leaves the default (1).</summary>
    public int? WriteConsistencyFactor { get; set; }

    /// <summary>
    /// Where a new collection keeps its vectors, sparse index and payloads in RAM (Qdrant:Memory): <c>Cold</c> (read
    /// from disk, cached with use), <c>Cached</c> (pre-loaded, evictable) or <c>Pinned</c> (always in RAM; Qdrant
    /// does not pin dense vectors, so those are <c>Cached</c>). Null leaves the server's defaults.
    /// </summary>
    public string? Memory { get; set; }

    /// <summary>Replaced by <see cref="Memory"/> (Qdrant deprecated its on_disk flags); kept only to say so when set.</summary>
    public bool? OnDisk { get; set; }

    /// <summary>The deadline of one call (Qdrant:TimeoutSeconds); a call past it fails with DEADLINE_EXCEEDED and is retried.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Points per upsert call (Qdrant:BatchSize); keeps each message well under gRPC's and Qdrant's size limits.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Retries of a call that failed for a transient reason: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED (Qdrant:MaxRetries).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>What is wrong with these settings, each message naming the key to fix; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            problems.Add($"Qdrant:Url must be the gRPC address as an absolute http(s) URL such as http://localhost:6334 (it is '{Url}').");
        else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || uri.AbsolutePath.Trim('/').Length > 0)
            problems.Add($"Qdrant:Url must be just scheme, host and port, such as http://localhost:6334 (it is '{Url}').");
        if (string.IsNullOrWhiteSpace(Collection) || Collection.Length > 255 || Collection.IndexOfAny(['/', '\\', '?', '#', '%']) >= 0 || Collection.Trim() != Collection)
            problems.Add($"Qdrant:Collection must be a name of 1 to 255 characters without '/', '\\', '?', '#', '%' or surrounding spaces (it is '{Collection}').");
        if (ShardNumber is < 1)
            problems.Add($"Qdrant:ShardNumber must be 1 or more, or unset for the server's default (it is {ShardNumber}).");
        if (ReplicationFactor is < 1)
            problems.Add($"Qdrant:ReplicationFactor must be 1 or more, or unset for the server's default (it is {ReplicationFactor}).");
        if (WriteConsistencyFactor is < 1)
            problems.Add($"Qdrant:WriteConsistencyFactor must be 1 or more, or unset for the server's default (it is {WriteConsistencyFactor}).");
        else if (WriteConsistencyFactor is { } factor && factor > (ReplicationFactor ?? 1))
            problems.Add($"Qdrant:WriteConsistencyFactor ({factor}) cannot exceed Qdrant:ReplicationFactor ({ReplicationFactor?.ToString(CultureInfo.InvariantCulture) ?? "unset, so 1"}).");
        if (Memory is not null && !MemoryPlacements.Contains(Memory, StringComparer.OrdinalIgnoreCase))
            problems.Add($"Qdrant:Memory must be {string.Join(", ", MemoryPlacements)}, or unset for the server's defaults (it is '{Memory}').");
        if (OnDisk is not null)
            problems.Add("Qdrant:OnDisk is no longer read: Qdrant deprecated its on_disk flags. Remove it and set Qdrant:Memory=Cold to keep a new collection's data on disk (or Cached, or Pinned).");
        if (TimeoutSeconds is < 1 or > 3600)
            problems.Add($"Qdrant:TimeoutSeconds must be between 1 and 3600 (it is {TimeoutSeconds}).");
        if (BatchSize is < 1 or > 10_000)
            problems.Add($"Qdrant:BatchSize must be between 1 and 10000 points (it is {BatchSize}).");
        if (MaxRetries is < 0 or > 20)
            problems.Add($"Qdrant:MaxRetries must be between 0 and 20 (it is {MaxRetries}).");
        return problems;
    }
}
