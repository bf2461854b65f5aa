namespace NewsBot.Core.Indexing;

/// <summary>One source in the index: its name (as first spelled), how many articles it has, and their date range.</summary>
public sealed record SourceSummary(string Name, long Articles, DateTimeOffset? Oldest, DateTimeOffset? Newest);
