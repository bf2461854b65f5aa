namespace NewsBot.Core.Indexing;

/// <summary>The index was built by another embedder or dimension than the one configured now.</summary>
public sealed class IndexMismatchException : Exception
{
    public IndexMismatchException(string message) : base(message) { }

    public IndexMismatchException(string location, EmbedderDescriptor existing, EmbedderDescriptor configured)
        : base($"The index at {location} was built with {existing}, but {configured} is configured. " +
               "Re-ingest into a new index (a new Index:Path file, or a new Qdrant:Collection), or configure the embedder it was built with.")
    {
        Existing = existing;
        Configured = configured;
    }

    public IndexMismatchException() { }

    public IndexMismatchException(string message, Exception innerException) : base(message, innerException) { }

    public EmbedderDescriptor? Existing { get; }

    public EmbedderDescriptor? Configured { get; }
}
