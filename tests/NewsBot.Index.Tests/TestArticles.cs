using NewsBot.Core.Articles;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;
using NewsBot.Core.Text;

namespace NewsBot.Index.Tests;

/// <summary>Builds indexed articles and queries the way the ingestion pipeline and the retriever do.</summary>
internal static class TestArticles
{
    /// <summary>An article whose passages are its paragraphs (separated by a blank line), embedded by <see cref="WordHashEmbedder"/>.</summary>
    public static IndexedArticle Make(
        string id,
        string text,
        string? source = "Test Wire",
        DateTimeOffset? published = null,
        string? origin = null,
        string? title = null,
        string? url = null,
        IReadOnlyList<string>? authors = null)
    {
        var article = new Article
        {
            Id = id,
            Title = title ?? $"Title of {id}",
            Text = text,
            Source = source,
            Url = url ?? $"https://news.example/{id}",
            Published = published,
            Authors = authors ?? ["A. Reporter"],
            Origin = origin,
        };
        var passages = Paragraphs(article);
        var vectors = passages.Select(p => (ReadOnlyMemory<float>)WordHashEmbedder.Embed(p.Text)).ToList();
        return new IndexedArticle(article, IndexedArticle.ComputeHash(article, "test"), passages, vectors);
    }

    public static PassageQuery Query(string text, PassageFilter? filter = null, int limit = 10) =>
        new(text, SearchTokenizer.Tokenize(text), WordHashEmbedder.Embed(text), filter ?? PassageFilter.None, limit);

    /// <summary>Both candidate lists fused as the retriever fuses them (equal weights), at most the query's depth long.</summary>
    public static async Task<List<PassageCandidate>> SearchFusedAsync(this IPassageIndex index, PassageQuery query, CancellationToken cancellationToken)
    {
        var lists = await index.SearchAsync(query, cancellationToken);
        return [.. RankFusion.Fuse(lists, denseWeight: 1, lexicalWeight: 1, k: 60).Take(query.Depth)];
    }

    public static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);

    private static List<Passage> Paragraphs(Article article)
    {
        var passages = new List<Passage>();
        var start = 0;
        while (start < article.Text.Length)
        {
            var end = article.Text.IndexOf("\n\n", start, StringComparison.Ordinal);
            if (end < 0)
                end = article.Text.Length;
            if (end > start)
            {
                var ordinal = passages.Count;
                passages.Add(new Passage
                {
                    Id = Passage.MakeId(article.Id, ordinal),
                    ArticleId = article.Id,
                    Ordinal = ordinal,
                    Start = start,
                    End = end,
                    Text = article.Text[start..end],
                    Title = article.Title,
                    Source = article.Source,
                    Url = article.Url,
                    Published = article.Published,
                    Authors = article.Authors,
                });
            }
            start = end + 2;
        }
        return passages;
    }
}
