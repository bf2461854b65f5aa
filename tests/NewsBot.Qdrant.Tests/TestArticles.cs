using NewsBot.Core.Articles;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;

namespace NewsBot.Qdrant.Tests;

/// <summary>Small articles with hand-made vectors, so rankings are known in advance.</summary>
internal static class TestArticles
{
    public const int Dimensions = 4;

    public static readonly EmbedderDescriptor Embedder = new("test-embedder", Dimensions);

    public static IndexedArticle Make(
        string id,
        IReadOnlyList<string> passages,
        IReadOnlyList<float[]>? vectors = null,
        string? source = "Reuters",
        DateTimeOffset? published = null,
        string settings = "v1")
    {
        var text = string.Join("\n\n", passages);
        var article = new Article
        {
            Id = id,
            Title = "Title of " + id,
            Text = text,
            Source = source,
            Url = $"https://example.com/{id}",
            Published = published,
            Origin = $"/data/{id}.txt",
        };
        var list = new List<Passage>();
        var start = 0;
        for (var i = 0; i < passages.Count; i++)
        {
            list.Add(new Passage
            {
                Id = Passage.MakeId(id, i),
                ArticleId = id,
                Ordinal = i,
                Start = start,
                End = start + passages[i].Length,
                Text = passages[i],
                Title = article.Title,
                Source = source,
                Url = article.Url,
                Published = published,
            });
            start += passages[i].Length + 2;
        }
        var vectorList = vectors?.Select(v => (ReadOnlyMemory<float>)v).ToList()
            ?? passages.Select((_, i) => (ReadOnlyMemory<float>)Unit(i)).ToList();
        return new IndexedArticle(article, IndexedArticle.ComputeHash(article, settings), list, vectorList);
    }

    public static float[] Unit(int axis)
    {
        var v = new float[Dimensions];
        v[axis % Dimensions] = 1;
        return v;
    }

    public static PassageQuery Query(string text, float[] vector, PassageFilter? filter = null, int limit = 10) =>
        new(text, NewsBot.Core.Text.SearchTokenizer.Tokenize(text), vector, filter ?? PassageFilter.None, limit);
}
