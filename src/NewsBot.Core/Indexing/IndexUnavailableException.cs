namespace NewsBot.Core.Indexing;

/// <summary>The index could not be reached or refused a request; the message says what to fix.</summary>
public sealed class IndexUnavailableException : Exception
{
    public IndexUnavailableException() { }

    public IndexUnavailableException(string message) : base(message) { }

    public IndexUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
