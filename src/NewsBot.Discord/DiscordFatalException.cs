namespace NewsBot.Discord;

/// <summary>
/// Discord refused the bot in a way that retrying cannot fix (a bad token, a disallowed intent). The message says what
/// to change and never contains the token.
/// </summary>
internal sealed class DiscordFatalException : Exception
{
    public DiscordFatalException(string message) : base(message) { }

    public DiscordFatalException(string message, Exception innerException) : base(message, innerException) { }
}
