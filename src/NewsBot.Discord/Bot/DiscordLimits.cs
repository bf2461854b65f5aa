using System.Globalization;

namespace NewsBot.Discord.Bot;

/// <summary>Discord's message limits (PROTOCOLS A14–A16), and trimming that keeps to them with "…".</summary>
internal static class DiscordLimits
{
    public const int Content = 2000;
    public const int EmbedTitle = 256;
    public const int EmbedDescription = 4096;
    public const int EmbedFields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int FooterText = 2048;
    public const int EmbedTotal = 6000;
    public const int EmbedsPerMessage = 10;
    public const int ActionRows = 5;
    public const int ButtonsPerRow = 5;
    public const int ButtonLabel = 80;
    public const int CustomId = 100;
    public const int ButtonUrl = 512;
    public const int Choices = 25;
    public const int ChoiceName = 100;
    public const int ChoiceValue = 100;

    public const string Ellipsis = "…";

    /// <summary>
    /// Trims whitespace (Discord does before counting) and cuts to <paramref name="max"/> UTF-16 units, ending in "…",
    /// at a word boundary when one is near, and never inside a surrogate pair.
    /// </summary>
    public static string Trim(string? text, int max)
    {
        var value = (text ?? "").Trim();
        if (value.Length <= max)
            return value;
        if (max <= Ellipsis.Length)
            return Ellipsis[..Math.Max(0, max)];
        var cut = max - Ellipsis.Length;
        if (char.IsHighSurrogate(value[cut - 1]))
            cut--;
        var space = value.LastIndexOf(' ', cut - 1, Math.Min(cut, 40));
        if (space > cut / 2)
            cut = space;
        return value[..cut].TrimEnd() + Ellipsis;
    }

    /// <summary>One line: newlines and runs of whitespace become single spaces.</summary>
    public static string OneLine(string? text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public static string Date(DateTimeOffset? date) =>
        date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <summary>An absolute http(s) URL short enough for a link button or embed, else null.</summary>
    public static string? LinkOrNull(string? url) =>
        url is { Length: > 0 and <= ButtonUrl } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? url
            : null;
}
