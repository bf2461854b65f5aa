using NewsBot.Core.Articles;
using NewsBot.Core.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

/// <summary>Runs <see cref="ArticleLoader"/> to the end and hands back what it found.</summary>
internal static class Loading
{
    public static Task<List<LoadResult>> AllAsync(string path, long maxFileBytes = LoaderOptions.DefaultMaxFileBytes) =>
        AllAsync([path], maxFileBytes);

    public static async Task<List<LoadResult>> AllAsync(IReadOnlyList<string> paths, long maxFileBytes = LoaderOptions.DefaultMaxFileBytes)
    {
        var loader = new ArticleLoader(new LoaderOptions { MaxFileBytes = maxFileBytes });
        var results = new List<LoadResult>();
        await foreach (var result in loader.LoadAsync(paths, CancellationToken.None))
        {
            Assert.True(result.Article is null != (result.Skip is null), "exactly one of Article and Skip is set");
            results.Add(result);
        }
        return results;
    }

    public static async Task<Article> SingleArticleAsync(string path)
    {
        var results = await AllAsync(path);
        var result = Assert.Single(results);
        Assert.Null(result.Skip);
        return result.Article!;
    }

    public static async Task<LoadSkip> SingleSkipAsync(string path, long maxFileBytes = LoaderOptions.DefaultMaxFileBytes)
    {
        var results = await AllAsync(path, maxFileBytes);
        var result = Assert.Single(results);
        Assert.Null(result.Article);
        return result.Skip!;
    }

    public static List<Article> Articles(this List<LoadResult> results) => [.. results.Where(r => r.Article is not null).Select(r => r.Article!)];

    public static List<LoadSkip> Skips(this List<LoadResult> results) => [.. results.Where(r => r.Skip is not null).Select(r => r.Skip!)];
}
