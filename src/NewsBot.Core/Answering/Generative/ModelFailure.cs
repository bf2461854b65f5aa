namespace NewsBot.Core.Answering.Generative;

/// <summary>Why a model endpoint could not be used.</summary>
public enum ModelFailure
{
    /// <summary>Unreachable, overloaded (429) or failing (5xx) after the retries ran out.</summary>
    Unavailable,

    /// <summary>The API key was rejected (401/403): a setting to fix.</summary>
    Unauthorized,

    /// <summary>The endpoint has no model of the configured name: a setting to fix.</summary>
    UnknownModel,

    /// <summary>No answer within the configured timeout.</summary>
    Timeout,

    /// <summary>The endpoint rejected the request, or answered with something that cannot be used.</summary>
    BadResponse,
}
