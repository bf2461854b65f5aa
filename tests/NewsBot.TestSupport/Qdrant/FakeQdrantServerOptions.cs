namespace NewsBot.TestSupport.Qdrant;

public sealed class FakeQdrantServerOptions
{
    /// <summary>When set, calls without this key in their <c>api-key</c> metadata are refused with UNAUTHENTICATED, as Qdrant does.</summary>
    public string? ApiKey { get; init; }

    /// <summary>False behaves like servers before 1.16, which ignore and never return collection metadata.</summary>
    public bool SupportsCollectionMetadata { get; init; } = true;

    /// <summary>Reported by the health check.</summary>
    public string Version { get; init; } = "1.19.0";
}
