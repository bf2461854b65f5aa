namespace NewsBot.Core.Answering.Prompts;

/// <summary>Settings of the <c>Prompts</c> section.</summary>
public sealed class PromptLibraryOptions
{
    public const string SectionName = "Prompts";

    /// <summary>
    /// The folder of prompt files (Prompts:Path). When unset, <c>prompts/</c> beside the program, then in the current
    /// folder, then in the nearest parent folder that has one.
    /// </summary>
    public string? Path { get; set; }
}
