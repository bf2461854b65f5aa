namespace NewsBot.Host.Composition;

/// <summary>A setting is missing or wrong; the message names the key and says what to set. Exit code 2.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException() { }

    public ConfigurationException(string message) : base(message) { }

    public ConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}
