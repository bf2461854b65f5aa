namespace NewsBot.Core.Answering.Prompts;

/// <summary>
/// The <c>execution_settings</c> of a prompt file (its <c>default</c> entry), as Semantic Kernel's OpenAI connector
/// reads them. Settings the file leaves out are null and left to the model server.
/// </summary>
public sealed record PromptExecutionSettings
{
    public static PromptExecutionSettings None { get; } = new();

    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public float? PresencePenalty { get; init; }

    public float? FrequencyPenalty { get; init; }

    public IReadOnlyList<string> StopSequences { get; init; } = [];
}
