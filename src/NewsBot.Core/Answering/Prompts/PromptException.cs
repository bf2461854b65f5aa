namespace NewsBot.Core.Answering.Prompts;

/// <summary>A prompt file is missing, malformed, or was rendered without a variable it needs; the message names the file and what to fix.</summary>
public sealed class PromptException : Exception
{
    public PromptException()
    {
    }

    public PromptException(string message)
        : base(message)
    {
    }

    public PromptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
