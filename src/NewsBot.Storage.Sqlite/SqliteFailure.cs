using Microsoft.Data.Sqlite;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

/// <summary>Turns SQLite's error codes into messages that say what to do, so that a user never sees a stack trace.</summary>
internal static class SqliteFailure
{
    // Primary result codes from https://www.sqlite.org/rescode.html; extended codes carry them in the low byte.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int NoMemory = 7;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static IndexUnavailableException Wrap(SqliteException exception, string path, string action)
    {
        var message = (exception.SqliteErrorCode & 0xFF) switch
        {
            Busy or Locked =>
                $"The index at {path} is locked by another process (an ingest still running?) and could not {action}. Try again when it has finished.",
            ReadOnly =>
                $"The index at {path} is read-only, so NewsBot could not {action}. Make the file and its folder writable, or set Index:Path to a writable location.",
            Full =>
                $"The disk holding the index at {path} is full, so NewsBot could not {action}. Free some space and try again; articles written before this one are intact.",
            CantOpen =>
                $"The index at {path} could not be opened. Check that the folder exists and is writable, or set Index:Path to another file.",
            Corrupt or NotADatabase =>
                $"The file at {path} is not a NewsBot index or is damaged. Delete it (and any {Path.GetFileName(path)}-wal and -shm files beside it) and ingest again, or set Index:Path to another file.",
            IoError =>
                $"Reading or writing the index at {path} failed with an I/O error while trying to {action} ({exception.Message}). Check the disk and try again.",
            NoMemory =>
                $"SQLite ran out of memory while trying to {action} on the index at {path}.",
            _ =>
                $"The index at {path} could not {action}: {exception.Message}",
        };
        return new IndexUnavailableException(message, exception);
    }

    public static IndexUnavailableException NotAnIndex(string path) =>
        new($"The file at {path} is not a NewsBot index. Set Index:Path to another file, or delete this one if it is a leftover, then ingest again.");

    public static IndexUnavailableException Damaged(string path, string what) =>
        new($"The index at {path} is damaged ({what}). Delete it (and any {Path.GetFileName(path)}-wal and -shm files beside it) and ingest again.");
}
