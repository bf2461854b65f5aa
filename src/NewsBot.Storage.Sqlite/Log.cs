using Microsoft.Extensions.Logging;

namespace NewsBot.Storage.Sqlite;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created a new index at {Path} for {Embedder}")]
    public static partial void Created(ILogger logger, string path, string embedder);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Loaded {Passages} passages and {Terms} terms from {Path} into memory in {Milliseconds} ms ({Megabytes} MB)")]
    public static partial void Loaded(ILogger logger, int passages, int terms, string path, long milliseconds, long megabytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "The index at {Path} was changed by another process; reading the changes")]
    public static partial void ChangedOnDisk(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropping the in-memory index of {Path}: {Dead} of {Slots} slots hold removed passages")]
    public static partial void Fragmented(ILogger logger, string path, int dead, int slots);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A bulk write to {Path} was rolled back; the articles written since its last commit are not in the index and will be written again by the next ingest")]
    public static partial void BulkRolledBack(ILogger logger, string path);
}
