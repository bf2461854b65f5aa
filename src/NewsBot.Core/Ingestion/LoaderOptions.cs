namespace NewsBot.Core.Ingestion;

/// <summary>Settings of <see cref="ArticleLoader"/>, bound from the <c>Ingest</c> configuration section.</summary>
public sealed class LoaderOptions
{
    public const string SectionName = "Ingest";

    public const long DefaultMaxFileBytes = 20L * 1024 * 1024;

    /// <summary>
    /// Files larger than this are skipped. JSON Lines files (<c>.jsonl</c>, <c>.jsonl.gz</c>) are streamed a line at a
    /// time, so for them the limit applies to each line rather than to the whole file.
    /// </summary>
    public long MaxFileBytes { get; set; } = DefaultMaxFileBytes;
}
