namespace NewsBot.Discord;

/// <summary>Settings of the <c>Discord</c> section, read by <c>newsbot serve</c>.</summary>
public sealed class DiscordOptions
{
    public const string SectionName = "Discord";

    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>
    /// The bot token from the Bot page of the Developer Portal (Discord:Token). Keep it out of files you commit: use
    /// user secrets or the <c>NEWSBOT__Discord__Token</c> environment variable.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>The application id (Discord:ApplicationId); taken from the READY event when unset.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>
    /// A server id (Discord:GuildId): slash commands are registered in that server only, where they update at once.
    /// Unset registers them globally.
    /// </summary>
    public string? GuildId { get; set; }

    /// <summary>
    /// Ask for the privileged Message Content intent (Discord:MessageContent), so that follow-ups in threads are read
    /// without mentioning the bot. It must be switched on in the Developer Portal first, or Discord closes the
    /// connection with 4014. Mentions and DMs carry their content without it.
    /// </summary>
    public bool MessageContent { get; set; }

    /// <summary>The REST base URL with its version (Discord:ApiBaseUrl).</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The gateway URL (Discord:GatewayUrl); when unset it is asked of <c>GET /gateway/bot</c>.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>A channel id where the "Post sources" button posts citations (Discord:CitationsChannelId); unset posts in the channel of the answer.</summary>
    public string? CitationsChannelId { get; set; }

    /// <summary>Seconds a user waits between questions (Discord:UserCooldownSeconds); 0 turns the cooldown off.</summary>
    public int UserCooldownSeconds { get; set; } = 10;

    /// <summary>Answers being made at once in one server (Discord:MaxConcurrentAnswersPerGuild); more wait their turn in the queue.</summary>
    public int MaxConcurrentAnswersPerGuild { get; set; } = 3;

    /// <summary>Questions that may wait in one server's queue (Discord:QueueLength); past that, a question is turned away at once.</summary>
    public int QueueLength { get; set; } = 50;

    /// <summary>
    /// Open a thread on each answer to a mention in a server channel (Discord:AnswerInThread), so follow-ups have a
    /// home; the bot answers follow-ups in it. Needs the Create Public Threads permission.
    /// </summary>
    public bool AnswerInThread { get; set; }

    /// <summary>The longest question accepted, in characters (Discord:MaxQuestionLength).</summary>
    public int MaxQuestionLength { get; set; } = 500;
}
