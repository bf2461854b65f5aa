namespace NewsBot.Core.Answering.Prompts;

/// <summary>An entry of a prompt file's <c>input_variables</c>.</summary>
/// <param name="Default">The value used when the caller gives none (null when the file declares no default).</param>
public sealed record PromptVariable(string Name, string? Description, bool IsRequired, object? Default);
