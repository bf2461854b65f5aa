namespace NewsBot.Core.Ingestion;

/// <summary>Progress of an ingest run, for a progress bar: files read of files found, and articles done so far.</summary>
public sealed record IngestionProgress(int FilesRead, int FilesTotal, int Articles, int Skipped, string? CurrentFile);
