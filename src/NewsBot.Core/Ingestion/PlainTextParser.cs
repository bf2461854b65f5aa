using NewsBot.Core.Text;

namespace NewsBot.Core.Ingestion;

/// <summary>A <c>.txt</c> article: the first non-empty line is the title, the rest the body.</summary>
internal static class PlainTextParser
{
    public static LoadResult Parse(string content, SourceFile file)
    {
        var text = TextNormalizer.Normalize(content).AsSpan().TrimStart();
        var titleEnd = text.IndexOf('\n');
        var draft = new ArticleDraft
        {
            Title = (titleEnd < 0 ? text : text[..titleEnd]).ToString(),
            Text = titleEnd < 0 ? "" : text[(titleEnd + 1)..].ToString(),
        };
        var article = draft.Build(file.RelativePath, file.FullPath);
        return article is null
            ? LoadResult.Skipped(file.FullPath, null, "no text after the title line")
            : LoadResult.Loaded(article, file.FullPath);
    }
}
