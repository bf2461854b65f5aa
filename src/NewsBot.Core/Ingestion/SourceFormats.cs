namespace NewsBot.Core.Ingestion;

internal static class SourceFormats
{
    public static SourceFormat FromFileName(string fileName)
    {
        if (fileName.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase)
            || fileName.EndsWith(".ndjson.gz", StringComparison.OrdinalIgnoreCase))
            return SourceFormat.JsonLinesGzip;
        return Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".txt" => SourceFormat.PlainText,
            ".md" or ".markdown" => SourceFormat.Markdown,
            ".html" or ".htm" => SourceFormat.Html,
            ".json" => SourceFormat.Json,
            ".jsonl" or ".ndjson" => SourceFormat.JsonLines,
            ".rss" or ".atom" or ".xml" => SourceFormat.Feed,
            _ => SourceFormat.Unknown,
        };
    }

    /// <summary>The extension as a user would name it in a message: <c>.pdf</c>, <c>.json.gz</c>, or <c>(none)</c>.</summary>
    public static string DescribeExtension(string fileName)
    {
        var extension = Path.GetExtension(fileName);
        if (extension.Equals(".gz", StringComparison.OrdinalIgnoreCase))
            extension = Path.GetExtension(fileName[..^extension.Length]) + extension;
        return extension.Length == 0 ? "(none)" : extension.ToLowerInvariant();
    }
}
