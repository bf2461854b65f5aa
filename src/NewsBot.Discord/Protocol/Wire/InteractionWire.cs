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
    public const int ModalSubmitType = 5;

    /// <summary>The user who acted: <c>member.user</c> in servers, <c>user</c> in DMs.</summary>
    public DiscordUser? Invoker => Member?.User ?? User;
}

/// <param name="Components">A modal submit's fields: action rows (type 1) or labels (type 18) holding text inputs.</param>
internal sealed record InteractionData(string? Id, string? Name, IReadOnlyList<InteractionOption>? Options, string? CustomId, int? ComponentType, IReadOnlyList<SubmittedComponent>? Components = null)
{
    /// <summary>The value the user typed into the modal's text input <paramref name="customId"/> (empty when none).</summary>
    public string SubmittedValue(string customId) => Find(Components, customId)?.Value ?? "";

    private static SubmittedComponent? Find(IReadOnlyList<SubmittedComponent>? components, string customId)
    {
        foreach (var component in components ?? [])
        {
            if (component.CustomId == customId)
                return component;
            var found = (component.Component is { } child ? Find([child], customId) : null) ?? Find(component.Components, customId);
            if (found is not null)
                return found;
        }
        return null;
    }
}

/// <summary>A component of a modal submit: a container (row or label) or a text input with its value.</summary>
internal sealed record SubmittedComponent(int Type, string? CustomId, string? Value, IReadOnlyList<SubmittedComponent>? Components, SubmittedComponent? Component);

internal sealed record InteractionOption(string Name, int Type, JsonElement Value, IReadOnlyList<InteractionOption>? Options, bool? Focused);

internal sealed record GuildMember(DiscordUser? User);

/// <summary>The body of <c>POST /interactions/{id}/{token}/callback</c>.</summary>
internal sealed record InteractionResponse(int Type, InteractionCallbackData? Data = null)
{
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int AutocompleteResult = 8;
    public const int Modal = 9;
}

internal sealed record InteractionCallbackData
{
    public string? Content { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public AllowedMentions? AllowedMentions { get; init; }

    public IReadOnlyList<Component>? Components { get; init; }

    public int? Flags { get; init; }

    public IReadOnlyList<CommandChoice>? Choices { get; init; }

    /// <summary>A modal's id (type 9 only).</summary>
    public string? CustomId { get; init; }

    /// <summary>A modal's title, up to 45 characters (type 9 only).</summary>
    public string? Title { get; init; }
}

internal sealed record CommandChoice(string Name, string Value);
