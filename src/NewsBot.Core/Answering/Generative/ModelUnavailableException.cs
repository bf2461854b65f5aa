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

    public ModelUnavailableException(string message, ModelFailure failure, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        StatusCode = statusCode;
    }

    public ModelFailure Failure { get; }

    /// <summary>The HTTP status the endpoint answered with, or null when there was no answer.</summary>
    public int? StatusCode { get; }

    /// <summary>True when a setting is wrong (key, model name) rather than the server being down or busy.</summary>
    public bool IsConfigurationError => Failure is ModelFailure.Unauthorized or ModelFailure.UnknownModel;
}
