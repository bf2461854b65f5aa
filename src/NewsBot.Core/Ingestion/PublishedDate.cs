using System.Globalization;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Reads publication dates as news sources write them: ISO 8601, RFC 1123 / RFC 822 (with numeric offsets or the
/// US zone names feeds still use), or a unix time in seconds or milliseconds. No offset means UTC. Anything else is
/// null: a bad date never costs an article.
/// </summary>
internal static class PublishedDate
{
    private static readonly DateTimeOffset Earliest = new(1800, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Zone, string Offset)[] Rfc822Zones =
    [
        (" UT", " +0000"), (" Z", " +0000"),
        (" EST", " -0500"), (" EDT", " -0400"), (" CST", " -0600"), (" CDT", " -0500"),
        (" MST", " -0700"), (" MDT", " -0600"), (" PST", " -0800"), (" PDT", " -0700"),
    ];

    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = value.Trim();
        if (text.Length >= 9 && text.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 && long.TryParse(text, CultureInfo.InvariantCulture, out var unix))
            return FromUnix(unix);
        foreach (var (zone, offset) in Rfc822Zones)
        {
            if (text.EndsWith(zone, StringComparison.OrdinalIgnoreCase))
            {
                text = string.Concat(text.AsSpan(0, text.Length - zone.Length), offset);
                break;
            }
        }
        const DateTimeStyles styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var parsed) && InRange(parsed) ? parsed : null;
    }

    /// <summary>A unix time; values too large to be seconds in a plausible year are taken as milliseconds.</summary>
    public static DateTimeOffset? FromUnix(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            return null;
        var milliseconds = Math.Abs(value) >= 1e11 ? value : value * 1000;
        if (milliseconds < Earliest.ToUnixTimeMilliseconds() || milliseconds > Latest.ToUnixTimeMilliseconds())
            return null;
        return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
    }

    private static bool InRange(DateTimeOffset value) => value >= Earliest && value <= Latest;
}
