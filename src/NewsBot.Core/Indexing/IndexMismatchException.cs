namespace NewsBot.Core.Indexing;

/// <summary>The index was built by another embedder or dimension than the one configured now.</summary>
public sealed class IndexMismatchException : Exception
{
    public IndexMismatchException(string message) : base(message) { }

    /// <param name="remedy">What the user can do, in the index's own terms (the index knows which setting names a new one).</param>
    public IndexMismatchException(string location, EmbedderDescriptor existing, EmbedderDescriptor configured, string remedy)
        : base($"The index at {location} was built with {existing}, but {configured} is configured. {remedy}")
    {
        Existing = existing;
        Configured = configured;
    }

    public IndexMismatchException() { }

    public IndexMismatchException(string message, Exception innerException) : base(message, innerException) { }

    public EmbedderDescriptor? Existing { get; }

    public EmbedderDescriptor? Configured { get; }
}
