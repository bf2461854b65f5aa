using System.Globalization;

namespace NewsBot.Core.Ingestion;

internal static class SizeLimit
{
    /// <summary>"larger than Ingest:MaxFileBytes (20 MB)": names the key to change, in units a person reads.</summary>
    public static string Describe(long maxBytes) => $"larger than Ingest:MaxFileBytes ({Format(maxBytes)})";

    public static string Format(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MB"),
        >= 1024 when bytes % 1024 == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
