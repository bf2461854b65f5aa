using NewsBot.Core.Answering.Generative;
using NewsBot.Core.Indexing;
using NewsBot.Discord.Protocol.Rest;

namespace NewsBot.Discord.Bot;

/// <summary>The one short sentence a user sees when something goes wrong; never a stack trace.</summary>
internal static class UserMessages
{
    public const string Failed = "Sorry, something went wrong while answering; please try again in a moment.";
    public const string Busy = "I'm answering several questions in this server right now; please try again in a moment.";

    public const string QueueFull = "Too many questions are waiting in this server right now; please ask again in a minute.";

    public const string WaitedTooLong = "Sorry, your question waited too long in the queue; please ask it again.";
    public const string EmptyQuestion = "Ask me a question about the news, for example: what happened to North Korea's internet?";
    public const string NoSources = "There is no answer with sources in this channel yet; ask one with /ask first.";
    public const string SourcesGone = "Those sources are no longer available; please ask the question again.";
    public const string CannotPost = "I can't post in that channel; ask a server admin to let me send messages there.";
    public const string VoteGone = "That answer is too old to vote on now (I keep the last 1000 answers since I started); ask again and vote on the new one.";
    public const string VoteNotKept = "Sorry, I couldn't record your vote just now; please try again in a moment.";
    public const string ThanksUp = "Thanks! Noted as helpful. You can change your vote at any time.";
    public const string ThanksDown = "Thanks, noted. What you wrote goes to the people who look after this bot.";
    public const string UnknownButton = "That button doesn't do anything any more; ask again with /ask.";
    public const string UnknownCommand = "I don't know that command; try /help.";
    public const string IndexUnavailable = "The news index is unavailable right now; please try again later.";
    public const string ModelUnavailable = "The language model is unavailable right now; please try again later.";

    public static string TooLong(int max) => $"Please keep questions under {AbuseGuard.Seconds(max)} characters.";

    /// <summary>The wait, and the moment it ends as a Discord timestamp (shown in each reader's own time zone).</summary>
    public static string Cooldown(int seconds, DateTimeOffset until) =>
        $"Please wait {AbuseGuard.Seconds(seconds)} s before asking again (you can ask at <t:{until.ToUnixTimeSeconds()}:T>).";

    public static string BadDate(string option) => $"'{option}' must be a date like 2014-12-22.";

    public static string PostedSources(string channelId) => $"Posted the sources in <#{channelId}>.";

    public static string For(Exception exception) => exception switch
    {
        IndexUnavailableException => IndexUnavailable,
        ModelUnavailableException => ModelUnavailable,
        DiscordRestException { Code: 50001 or 50013 } => CannotPost,
        _ => Failed,
    };
}
