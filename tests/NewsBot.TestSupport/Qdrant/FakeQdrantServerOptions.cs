namespace NewsBot.TestSupport.Qdrant;

public sealed class FakeQdrantServerOptions
{
    /// <summary>When set, requests without this key (<c>api-key</c> header or bearer token) get Qdrant's plain-text 401.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Check every request body against the Qdrant OpenAPI document (and every request against its operations). A
    /// violation is recorded in <see cref="FakeQdrantServer.SpecViolations"/> and answered with 400, so the client fails.
    /// </summary>
    public bool ValidateRequests { get; init; } = true;

    /// <summary>Also check the fake's own answers against the documented response schemas (recorded, not enforced).</summary>
    public bool ValidateResponses { get; init; } = true;

    /// <summary>The OpenAPI document; defaults to <c>shared/specs/qdrant-openapi.json</c>.</summary>
    public string? SpecPath { get; init; }

    /// <summary>
    /// Like Qdrant's strict mode (on by default in Qdrant Cloud): a match or range condition on a payload key without
    /// a payload index is refused with 400.
    /// </summary>
    public bool RequireIndexedFilters { get; init; } = true;

    /// <summary>False behaves like servers before 1.16, which ignore and never return collection metadata.</summary>
    public bool SupportsCollectionMetadata { get; init; } = true;

    /// <summary>Reported by <c>GET /</c>.</summary>
    public string Version { get; init; } = "1.19.0";
}
