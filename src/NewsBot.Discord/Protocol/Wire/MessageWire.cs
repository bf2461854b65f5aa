namespace NewsBot.Discord.Protocol.Wire;

internal sealed record DiscordUser(string Id, string? Username, bool? Bot, string? GlobalName);

/// <summary>A message as Discord sends it (MESSAGE_CREATE, or the reply to a create).</summary>
internal sealed record DiscordMessage(
    string Id,
    string ChannelId,
    string? GuildId,
    DiscordUser? Author,
    string? Content,
    IReadOnlyList<DiscordUser>? Mentions,
    MessageReference? MessageReference,
    string? WebhookId,
    int Type);

internal sealed record MessageReference(string MessageId, string? ChannelId = null, string? GuildId = null, bool? FailIfNotExists = null);

/// <summary><c>{"parse": []}</c> turns every ping off; sent on every message the bot writes.</summary>
internal sealed record AllowedMentions(IReadOnlyList<string> Parse, bool? RepliedUser = null)
{
    public static readonly AllowedMentions None = new([], false);
}

/// <summary>The body of a message create, edit or webhook followup; unset fields are left out.</summary>
internal sealed record MessageBody
{
    public string? Content { get; init; }

    public IReadOnlyList<Embed>? Embeds { get; init; }

    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;

    public IReadOnlyList<Component>? Components { get; init; }

    public int? Flags { get; init; }

    public MessageReference? MessageReference { get; init; }

    /// <summary>With <see cref="EnforceNonce"/>, makes a retried create idempotent (channel messages only).</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }
}

internal sealed record Embed
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    public string? Url { get; init; }

    public int? Color { get; init; }

    public IReadOnlyList<EmbedField>? Fields { get; init; }

    public EmbedFooter? Footer { get; init; }
}

internal sealed record EmbedField(string Name, string Value, bool? Inline = null);

internal sealed record EmbedFooter(string Text);

/// <summary>
/// An action row (type 1) or a button (type 2) in legacy component mode; in a modal, a label (type 18) around a text
/// input (type 4).
/// </summary>
internal sealed record Component
{
    public const int ActionRowType = 1;
    public const int ButtonType = 2;
    public const int TextInputType = 4;
    public const int LabelType = 18;
    public const int PrimaryStyle = 1;
    public const int SecondaryStyle = 2;
    public const int SuccessStyle = 3;
    public const int DangerStyle = 4;
    public const int LinkStyle = 5;
    public const int ParagraphStyle = 2;

    public int Type { get; init; }

    public int? Style { get; init; }

    public string? Label { get; init; }

    public string? CustomId { get; init; }

    public string? Url { get; init; }

    public IReadOnlyList<Component>? Components { get; init; }

    /// <summary>A label's one child (type 18), sent as <c>component</c>.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("component")]
    public Component? Child { get; init; }

    public string? Description { get; init; }

    public string? Placeholder { get; init; }

    public bool? Required { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>A button's emoji, shown before its label.</summary>
    public ComponentEmoji? Emoji { get; init; }
}

internal sealed record ComponentEmoji(string Name);

internal static class MessageFlags
{
    public const int Ephemeral = 1 << 6;
}

/// <summary>The body of <c>POST /channels/{channel_id}/messages/{message_id}/threads</c>.</summary>
internal sealed record StartThreadBody(string Name, int AutoArchiveDuration);
