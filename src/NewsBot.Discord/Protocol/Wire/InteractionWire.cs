using System.Text.Json;

namespace NewsBot.Discord.Protocol.Wire;

internal sealed record Interaction(
    string Id,
    string ApplicationId,
    int Type,
    InteractionData? Data,
    string? GuildId,
    string? ChannelId,
    GuildMember? Member,
    DiscordUser? User,
    string Token,
    DiscordMessage? Message)
{
    public const int ApplicationCommandType = 2;
    public const int MessageComponentType = 3;
    public const int AutocompleteType = 4;

    /// <summary>The user who acted: <c>member.user</c> in servers, <c>user</c> in DMs.</summary>
    public DiscordUser? Invoker => Member?.User ?? User;
}

internal sealed record InteractionData(string? Id, string? Name, IReadOnlyList<InteractionOption>? Options, string? CustomId, int? ComponentType);

internal sealed record InteractionOption(string Name, int Type, JsonElement Value, IReadOnlyList<InteractionOption>? Options, bool? Focused);

internal sealed record GuildMember(DiscordUser? User);

/// <summary>The body of <c>POST /interactions/{id}/{token}/callback</c>.</summary>
internal sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null)
{
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int AutocompleteResult = 8;
}

internal sealed record InteractionCallbackData
{
    public string? Content { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public AllowedMentions? AllowedMentions { get; init; }

    public IReadOnlyList<Component>? Components { get; init; }

    public int? Flags { get; init; }

    public IReadOnlyList<CommandChoice>? Choices { get; init; }
}

internal sealed record CommandChoice(string Name, string Value);
