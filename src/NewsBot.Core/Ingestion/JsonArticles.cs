using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Article records in JSON: <c>.json</c> files holding one object or an array of them, and the objects of JSON Lines.
/// Field names are matched case-insensitively; see <see cref="ToDraft"/> for which ones count.
/// </summary>
internal static class JsonArticles
{
    public const string NotAnObject = "not a JSON object";

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    public static List<LoadResult> ParseFile(string content, SourceFile file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, Options);
        }
        catch (JsonException e)
        {
            return [LoadResult.Skipped(file.FullPath, LineOf(e), Malformed(e))];
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
                return [Build(root, file, file.RelativePath, line: null, prefix: "")];
            if (root.ValueKind != JsonValueKind.Array)
                return [LoadResult.Skipped(file.FullPath, null, "not a JSON object or array")];
            var results = new List<LoadResult>(root.GetArrayLength());
            var number = 0;
            foreach (var element in root.EnumerateArray())
            {
                number++;
                var prefix = string.Create(CultureInfo.InvariantCulture, $"record {number}: ");
                results.Add(element.ValueKind == JsonValueKind.Object
                    ? Build(element, file, $"{file.RelativePath}#{number}", line: null, prefix)
                    : LoadResult.Skipped(file.FullPath, null, prefix + NotAnObject));
            }
            if (number == 0)
                results.Add(LoadResult.Skipped(file.FullPath, null, TextDecoder.Empty));
            return results;
        }
    }

    /// <summary>One line of a JSON Lines file (UTF-8, without its line break).</summary>
    public static LoadResult ParseLine(ReadOnlyMemory<byte> line, int number, SourceFile file)
    {
        // The parser checks UTF-8 only where it must; strings are checked when read, which would be too late.
        if (!Utf8.IsValid(line.Span))
            return LoadResult.Skipped(file.FullPath, number, "invalid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException e)
        {
            return LoadResult.Skipped(file.FullPath, number, Malformed(e));
        }
        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Build(document.RootElement, file, string.Create(CultureInfo.InvariantCulture, $"{file.RelativePath}#{number}"), number, prefix: "")
                : LoadResult.Skipped(file.FullPath, number, NotAnObject);
        }
    }

    /// <summary>
    /// Reads <c>id</c> (string or number), <c>title</c>, <c>source</c>, <c>url</c>, <c>date</c> or <c>published</c>
    /// (a date string or a unix time), <c>text</c>, <c>body</c> or <c>content</c> (a string, or an array of paragraphs),
    /// <c>authors</c> or <c>author</c> (a string, an array of strings, or objects with a <c>name</c>).
    /// </summary>
    public static ArticleDraft ToDraft(JsonElement record)
    {
        var draft = new ArticleDraft();
        string? text = null, body = null, content = null;
        DateTimeOffset? date = null, published = null;
        foreach (var property in record.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (Is(name, "id"))
                draft.Id = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : AsString(value);
            else if (Is(name, "title"))
                draft.Title = AsString(value);
            else if (Is(name, "source"))
                draft.Source = AsString(value);
            else if (Is(name, "url"))
                draft.Url = AsString(value);
            else if (Is(name, "date"))
                date = AsDate(value, draft);
            else if (Is(name, "published"))
                published = AsDate(value, draft);
            else if (Is(name, "text"))
                text = AsText(value);
            else if (Is(name, "body"))
                body = AsText(value);
            else if (Is(name, "content"))
                content = AsText(value);
            else if (Is(name, "authors") || Is(name, "author"))
                AddAuthors(value, draft.Authors);
        }
        draft.Text = TextShape.FirstNonBlank(text, body, content);
        draft.Published = date ?? published;
        return draft;
    }

    private static LoadResult Build(JsonElement record, SourceFile file, string fallbackId, int? line, string prefix)
    {
        ArticleDraft draft;
        try
        {
            draft = ToDraft(record);
        }
        catch (InvalidOperationException e)
        {
            // A string that cannot become text, such as an escaped lone surrogate.
            return LoadResult.Skipped(file.FullPath, line, prefix + "unreadable text: " + e.Message);
        }
        var article = draft.Build(fallbackId, file.FullPath);
        return article is null
            ? LoadResult.Skipped(file.FullPath, line, prefix + ArticleDraft.NoText)
            : LoadResult.Loaded(article, file.FullPath, draft) with { Line = line };
    }

    private static bool Is(string name, string field) => string.Equals(name, field, StringComparison.OrdinalIgnoreCase);

    private static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static string? AsText(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
            return AsString(value);
        var paragraphs = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } paragraph)
                paragraphs.Add(paragraph);
        }
        return string.Join("\n\n", paragraphs);
    }

    private static DateTimeOffset? AsDate(JsonElement value, ArticleDraft draft) => value.ValueKind switch
    {
        JsonValueKind.String => draft.ReadDate(value.GetString()),
        JsonValueKind.Number => PublishedDate.FromUnix(value.GetDouble()),
        _ => null,
    };

    private static void AddAuthors(JsonElement value, List<string> authors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                authors.Add(value.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                    AddAuthors(item, authors);
                break;
            case JsonValueKind.Object when value.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                authors.Add(name.GetString()!);
                break;
        }
    }

    /// <summary>The parser's message without the position suffix, which the skip's line number already gives.</summary>
    private static string Malformed(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return "malformed JSON: " + (cut > 0 ? message[..cut] : message);
    }

    private static int? LineOf(JsonException e) => e.LineNumber is { } line ? (int)Math.Min(line + 1, int.MaxValue) : null;
}
