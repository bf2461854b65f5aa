using NewsBot.Core.Indexing;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

/// <summary>Against a server before 1.16, which has no collection metadata: the vector size is still checked.</summary>
public sealed class OlderQdrantTests : QdrantServerFixture
{
    protected override FakeQdrantServerOptions ServerOptions => new() { SupportsCollectionMetadata = false, Version = "1.15.4" };

    [Fact]
    public async Task The_collection_works_without_metadata_and_a_size_mismatch_is_still_refused()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning."]), CancellationToken.None);
        Assert.Null(Server.Inspect("news")!.Metadata);

        await using var again = CreateIndex();
        await InitializeAsync(again);
        Assert.Single(await SearchAsync("storm", TestArticles.Unit(0)));

        await using var bigger = CreateIndex();
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => bigger.InitializeAsync(new EmbedderDescriptor("big", 8), CancellationToken.None));
        Assert.Equal(new EmbedderDescriptor("an unrecorded embedder", 4), e.Existing);
        Assert.Contains("'news'", e.Message, StringComparison.Ordinal);

        var stats = await Index.GetStatisticsAsync(CancellationToken.None);
        Assert.Equal(new EmbedderDescriptor("unknown embedder", 4), stats.Embedder);
    }
}
