namespace NewsBot.Core.Ingestion;

/// <summary>
/// A file to load: its full path, its path relative to <see cref="Root"/> with forward slashes (the article id when the
/// file has none of its own), and the root: the folder given to ingest, or the file's own folder when a file was given.
/// </summary>
public sealed record SourceFile(string FullPath, string RelativePath, string Root);
