namespace NewsBot.Host.Commands;

/// <summary>The command was used wrongly (a bad date, an empty index); exit code 2 with the message.</summary>
internal sealed class UsageException : Exception
{
    public UsageException() { }

    public UsageException(string message) : base(message) { }

    public UsageException(string message, Exception innerException) : base(message, innerException) { }
}
