using System.Text.RegularExpressions;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

internal static partial class MentionParser
{
    /// <summary>The bot is in the message's <c>mentions</c>, or its <c>&lt;@id&gt;</c> is in the text.</summary>
    public static bool MentionsBot(DiscordMessage message, string botUserId) =>
        (message.Mentions?.Any(u => u.Id == botUserId) ?? false)
        || (message.Content ?? "").Contains($"<@{botUserId}>", StringComparison.Ordinal)
        || (message.Content ?? "").Contains($"<@!{botUserId}>", StringComparison.Ordinal);

    /// <summary>The question without the bot's mention, whitespace collapsed.</summary>
    public static string StripBotMention(string content, string botUserId)
    {
        var withoutMention = content.Replace($"<@!{botUserId}>", " ", StringComparison.Ordinal).Replace($"<@{botUserId}>", " ", StringComparison.Ordinal);
        return Whitespace().Replace(withoutMention, " ").Trim().TrimStart(',', ':').Trim();
    }

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
