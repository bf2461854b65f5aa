namespace NewsBot.Core.Ingestion;

/// <summary>
/// Progress of an ingest run, for a progress bar that counts real work: files read of files found, their bytes
/// (<see cref="BytesRead"/> of <see cref="BytesTotal"/>, within a large JSON Lines file too), articles loaded, and of
/// those the articles done (written or found unchanged) and the passages written.
/// </summary>
public sealed record IngestionProgress(int FilesRead, int FilesTotal, int Articles, int Skipped, string? CurrentFile)
{
    public long BytesRead { get; init; }

    public long BytesTotal { get; init; }

    /// <summary>Articles loaded so far (whether or not yet written).</summary>
    public int Loaded { get; init; }

    public long Passages { get; init; }
}
