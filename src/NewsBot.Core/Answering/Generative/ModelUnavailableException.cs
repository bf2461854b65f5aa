namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// A chat or embedding model could not be used. The message is one line that says what to fix, e.g.
/// "The model endpoint rejected the API key: check Model:ApiKey"; it never contains the key.
/// </summary>
public sealed class ModelUnavailableException : Exception
{
    public ModelUnavailableException()
    {
    }

    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ModelUnavailableException(string message, ModelFailure failure, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>What kind of failure it was; the adapter that raised it, not Core, knows the protocol detail.</summary>
    public ModelFailure Failure { get; }

    /// <summary>True when a setting is wrong (key, model name) rather than the server being down or busy.</summary>
    public bool IsConfigurationError => Failure is ModelFailure.Unauthorized or ModelFailure.UnknownModel;
}
