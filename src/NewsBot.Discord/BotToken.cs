namespace NewsBot.Discord;

internal static class BotToken
{
    /// <summary>The token as Identify wants it: trimmed, without a pasted <c>Bot </c> prefix.</summary>
    public static string Normalize(string token)
    {
        var trimmed = token.Trim();
        return trimmed.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) ? trimmed[4..].Trim() : trimmed;
    }
}
