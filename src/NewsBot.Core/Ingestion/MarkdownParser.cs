using NewsBot.Core.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// A Markdown article: YAML front matter between <c>---</c> lines gives the metadata (title, source, url, date or
/// published, author or authors, id); without a title there, the first level-1 heading is the title, else the first
/// non-empty line. The body is rendered to plain text (<see cref="MarkdownText"/>), so no Markdown syntax reaches a
/// passage, an answer or a quote.
/// </summary>
internal static class MarkdownParser
{
    public static LoadResult Parse(string content, SourceFile file)
    {
        var text = TextNormalizer.Normalize(content);
        var draft = new ArticleDraft();
        if (SplitFrontMatter(text) is (var yaml, var body))
        {
            if (ReadFrontMatter(yaml, draft) is (var line, var problem))
                return LoadResult.Skipped(file.FullPath, line, "malformed front matter: " + problem);
            text = body;
        }

        var lines = text.Split('\n').ToList();
        var firstContent = lines.FindIndex(l => !string.IsNullOrWhiteSpace(l));
        var heading = FindHeading(lines);
        var headingLeads = heading is not null && heading.Value.Index == firstContent;
        if (string.IsNullOrWhiteSpace(draft.Title))
        {
            if (heading is { } found)
                draft.Title = found.Text;
            else if (firstContent >= 0)
                draft.Title = lines[firstContent].TrimStart().TrimStart('#');
        }
        else if (headingLeads && TextShape.OneLine(heading!.Value.Text) != TextShape.OneLine(draft.Title))
        {
            headingLeads = false;
        }
        // The leading heading is dropped when it is the title; a heading further down is part of the body.
        if (headingLeads)
            lines.RemoveRange(heading!.Value.Index, heading.Value.LineCount);

        draft.Title = draft.Title is null ? null : MarkdownText.InlineToPlain(draft.Title);
        draft.Text = MarkdownText.ToPlain(string.Join('\n', lines));
        var article = draft.Build(file.RelativePath, file.FullPath);
        return article is null
            ? LoadResult.Skipped(file.FullPath, null, ArticleDraft.NoText)
            : LoadResult.Loaded(article, file.FullPath, draft);
    }

    /// <summary>Front matter: a first line of <c>---</c>, up to a line of <c>---</c> or <c>...</c>.</summary>
    private static (string Yaml, string Body)? SplitFrontMatter(string text)
    {
        var firstEnd = text.IndexOf('\n');
        if (firstEnd < 0 || !text.AsSpan(0, firstEnd).TrimEnd().SequenceEqual("---"))
            return null;
        for (var start = firstEnd + 1; start < text.Length;)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
                end = text.Length;
            var line = text.AsSpan(start, end - start).TrimEnd();
            if (line.SequenceEqual("---") || line.SequenceEqual("..."))
                return (text[(firstEnd + 1)..start], end < text.Length ? text[(end + 1)..] : "");
            start = end + 1;
        }
        return null;
    }

    /// <summary>Fills the draft from the front matter; returns the file line and message when the YAML is malformed.</summary>
    private static (int? Line, string Message)? ReadFrontMatter(string yaml, ArticleDraft draft)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // The front matter starts on the file's second line.
            int? line = e.Start.Line > 0 ? (int)Math.Min(e.Start.Line + 1, int.MaxValue) : null;
            var message = e.Message;
            var position = message.StartsWith("(Line", StringComparison.Ordinal) ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
            return (line, position >= 0 ? message[(position + 3)..] : message);
        }
        if (stream.Documents.Count == 0)
            return null;
        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            return stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }
                ? null
                : (2, "expected key: value pairs");
        }
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                continue;
            switch (key.ToLowerInvariant())
            {
                case "title":
                    draft.Title = Scalar(value);
                    break;
                case "source":
                    draft.Source = Scalar(value);
                    break;
                case "url":
                    draft.Url = Scalar(value);
                    break;
                case "id":
                    draft.Id = Scalar(value);
                    break;
                case "date" or "published":
                    draft.Published ??= draft.ReadDate(Scalar(value));
                    break;
                case "author" or "authors":
                    if (value is YamlSequenceNode sequence)
                        draft.Authors.AddRange(sequence.Children.Select(Scalar).OfType<string>());
                    else if (Scalar(value) is { } author)
                        draft.Authors.Add(author);
                    break;
            }
        }
        return null;
    }

    private static string? Scalar(YamlNode node) => node is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    /// <summary>The first level-1 heading outside code blocks: <c># Title</c>, or a line underlined with <c>===</c>.</summary>
    private static (int Index, int LineCount, string Text)? FindHeading(List<string> lines)
    {
        var inFence = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var trimmed = lines[i].TrimStart(' ');
            var indent = lines[i].Length - trimmed.Length;
            if (indent > 3)
                continue;
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
                continue;
            if (trimmed.StartsWith("# ", StringComparison.Ordinal))
                return (i, 1, trimmed[2..].Trim().TrimEnd('#').Trim());
            if (trimmed.Trim().Length > 0 && !trimmed.StartsWith('#') && i + 1 < lines.Count && IsSetextUnderline(lines[i + 1]))
                return (i, 2, trimmed.Trim());
        }
        return null;
    }

    private static bool IsSetextUnderline(string line)
    {
        var trimmed = line.AsSpan().Trim();
        return trimmed.Length > 0 && line.Length - line.AsSpan().TrimStart(' ').Length <= 3 && trimmed.IndexOfAnyExcept('=') < 0;
    }
}
