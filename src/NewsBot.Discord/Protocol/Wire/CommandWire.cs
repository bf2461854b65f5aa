namespace NewsBot.Discord.Protocol.Wire;

/// <summary>A slash command as registered by bulk overwrite.</summary>
internal sealed record ApplicationCommand(
    string Name,
    string Description,
    int Type,
    IReadOnlyList<CommandOption>? Options,
    IReadOnlyList<int>? Contexts,
    IReadOnlyList<int>? IntegrationTypes)
{
    public const int ChatInput = 1;
}

internal sealed record CommandOption(int Type, string Name, string Description, bool? Required = null, bool? Autocomplete = null, int? MinLength = null, int? MaxLength = null)
{
    public const int StringType = 3;
    public const int BooleanType = 5;
}
