namespace NewsBot.Core.Ingestion;

/// <summary>How a file is read, chosen by its extension.</summary>
internal enum SourceFormat
{
    Unknown,
    PlainText,
    Markdown,
    Html,
    Json,
    JsonLines,
    JsonLinesGzip,
    Feed,
}
