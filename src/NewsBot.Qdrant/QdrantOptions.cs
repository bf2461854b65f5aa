namespace NewsBot.Qdrant;

/// <summary>Settings of the <c>Qdrant</c> section, used when <c>Index:Provider=qdrant</c>.</summary>
public sealed class QdrantOptions
{
    public const string SectionName = "Qdrant";

    /// <summary>REST endpoint of the server or cluster (Qdrant:Url), port 6333 by default; https for Qdrant Cloud.</summary>
    public string Url { get; set; } = "http://localhost:6333";

    /// <summary>Sent as the <c>api-key</c> header when set (Qdrant:ApiKey). Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The collection that holds the passages (Qdrant:Collection).</summary>
    public string Collection { get; set; } = "newsbot";

    /// <summary>Shards of a new collection; null leaves the server's default (1, or the node count in a cluster). Cannot be changed later.</summary>
    public int? ShardNumber { get; set; }

    /// <summary>Copies of each shard in a new collection; null leaves the server's default (1).</summary>
    public int? ReplicationFactor { get; set; }

    /// <summary>Replicas that must confirm a write; at most <see cref="ReplicationFactor"/>. Null leaves the default (1).</summary>
    public int? WriteConsistencyFactor { get; set; }

    /// <summary>Keep the vectors and payloads of a new collection on disk rather than in RAM (Qdrant:OnDisk).</summary>
    public bool OnDisk { get; set; }

    /// <summary>How long one request may take before it counts as failed and is retried (Qdrant:TimeoutSeconds).</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Points per upsert request (Qdrant:BatchSize); keeps each request well under Qdrant's 32 MB limit.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Retries of a request that failed for a transient reason: unreachable, timeout, 5xx, 429 (Qdrant:MaxRetries).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>What is wrong with these settings, each message naming the key to fix; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            problems.Add($"Qdrant:Url must be an absolute http(s) URL such as http://localhost:6333 (it is '{Url}').");
        else if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            problems.Add($"Qdrant:Url must not have a query string or fragment (it is '{Url}').");
        if (string.IsNullOrWhiteSpace(Collection) || Collection.Length > 255 || Collection.IndexOfAny(['/', '\\', '?', '#', '%']) >= 0 || Collection.Trim() != Collection)
            problems.Add($"Qdrant:Collection must be a name of 1 to 255 characters without '/', '\\', '?', '#', '%' or surrounding spaces (it is '{Collection}').");
        if (ShardNumber is < 1)
            problems.Add($"Qdrant:ShardNumber must be 1 or more, or unset for the server's default (it is {ShardNumber}).");
        if (ReplicationFactor is < 1)
            problems.Add($"Qdrant:ReplicationFactor must be 1 or more, or unset for the server's default (it is {ReplicationFactor}).");
        if (WriteConsistencyFactor is < 1)
            problems.Add($"Qdrant:WriteConsistencyFactor must be 1 or more, or unset for the server's default (it is {WriteConsistencyFactor}).");
        else if (WriteConsistencyFactor is { } factor && factor > (ReplicationFactor ?? 1))
            problems.Add($"Qdrant:WriteConsistencyFactor ({factor}) cannot exceed Qdrant:ReplicationFactor ({ReplicationFactor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset, so 1"}).");
        if (TimeoutSeconds is < 1 or > 3600)
            problems.Add($"Qdrant:TimeoutSeconds must be between 1 and 3600 (it is {TimeoutSeconds}).");
        if (BatchSize is < 1 or > 10_000)
            problems.Add($"Qdrant:BatchSize must be between 1 and 10000 points (it is {BatchSize}).");
        if (MaxRetries is < 0 or > 20)
            problems.Add($"Qdrant:MaxRetries must be between 0 and 20 (it is {MaxRetries}).");
        return problems;
    }
}
