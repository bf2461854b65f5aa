namespace NewsBot.Core.Indexing;

/// <param name="Details">Extra lines an index wants shown by <c>newsbot stats</c> (for Qdrant: status, settings).</param>
public sealed record IndexStatistics(
    string Location,
    long Articles,
    long Passages,
    long Sources,
    DateTimeOffset? OldestPublished,
    DateTimeOffset? NewestPublished,
    EmbedderDescriptor? Embedder,
    IReadOnlyDictionary<string, string> Details);
