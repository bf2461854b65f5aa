using NewsBot.Core.Articles;
using NewsBot.Core.Text;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// The fields a loader found, raw. <see cref="Build"/> is the one place where text is normalised, ids fall back to the
/// file's relative path and empty titles to the text's first sentence, so every format ends up the same way.
/// </summary>
internal sealed class ArticleDraft
{
    public const string NoText = "no text";

    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? Text { get; set; }

    public string? Source { get; set; }

    public string? Url { get; set; }

    public DateTimeOffset? Published { get; set; }

    public List<string> Authors { get; } = [];

    /// <summary>Date texts that could not be read, for the ingest summary's warnings.</summary>
    public List<string> UnreadDates { get; } = [];

    /// <summary>Reads a publication date, remembering a non-empty text that is not one.</summary>
    public DateTimeOffset? ReadDate(string? text)
    {
        var date = PublishedDate.Parse(text);
        if (date is null && !string.IsNullOrWhiteSpace(text))
            UnreadDates.Add(TextShape.OneLine(text.Trim()));
        return date;
    }

    /// <summary>The article, or null when it has no text.</summary>
    public Article? Build(string fallbackId, string origin)
    {
        var text = Text is null ? "" : TextShape.Paragraphs(TextNormalizer.Normalize(Text));
        if (text.Length == 0)
            return null;
        var id = string.IsNullOrWhiteSpace(Id) ? fallbackId : Id.Trim();
        var title = Title is null ? "" : TextShape.OneLine(TextNormalizer.Normalize(Title));
        if (title.Length == 0)
            title = TextShape.TitleFromText(text);
        if (title.Length == 0)
            title = id;
        return new Article
        {
            Id = id,
            Title = title,
            Text = text,
            Source = Field(Source),
            Url = Field(Url),
            Published = Published,
            Authors = CleanAuthors(),
            Origin = origin,
        };
    }

    private static string? Field(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var cleaned = TextShape.OneLine(TextNormalizer.Normalize(value));
        return cleaned.Length == 0 ? null : cleaned;
    }

    private List<string> CleanAuthors()
    {
        var authors = new List<string>(Authors.Count);
        foreach (var author in Authors)
        {
            if (Field(author) is { } name && !authors.Contains(name, StringComparer.Ordinal))
                authors.Add(name);
        }
        return authors;
    }
}
