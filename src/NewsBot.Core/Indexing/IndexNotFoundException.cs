namespace NewsBot.Core.Indexing;

/// <summary>
/// A verb that only reads found no index where it looked (no file, no collection, or one with nothing in it). The
/// message, written by the index, says where it looked and to run <c>newsbot ingest</c>. Exit code 2.
/// </summary>
public sealed class IndexNotFoundException : Exception
{
    public IndexNotFoundException() { }

    public IndexNotFoundException(string message) : base(message) { }

    public IndexNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}
