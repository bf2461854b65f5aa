using System.Globalization;

namespace NewsBot.Host.Output;

internal static class Formatting
{
    public static string? Date(DateTimeOffset? date) => date?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"Title — Source · 2014-12-22", leaving out what is unknown.</summary>
    public static string Heading(string title, string? source, DateTimeOffset? date)
    {
        var parts = new List<string> { title };
        var meta = string.Join(" · ", new[] { source, Date(date) }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return meta.Length > 0 ? $"{title} — {meta}" : title;
    }

    public static string OneLine(string text, int max)
    {
        var flat = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= max ? flat : flat[..(max - 1)].TrimEnd() + "…";
    }
}
