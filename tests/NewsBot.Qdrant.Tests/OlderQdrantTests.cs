using NewsBot.Core.Indexing;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

/// <summary>Against a server before 1.16, which ignores collection metadata: only size and distance can be checked.</summary>
public sealed class OlderQdrantTests : QdrantServerFixture
{
    protected override FakeQdrantServerOptions ServerOptions => new() { SupportsCollectionMetadata = false, Version = "1.15.4" };

    [Fact]
    public async Task The_collection_works_without_metadata_and_a_size_mismatch_is_still_refused()
    {
        await InitializeAsync(Index);
        await Index.UpsertAsync(TestArticles.Make("a", ["Storm warning."]), CancellationToken.None);
        Assert.Single((await SearchAsync("storm", TestArticles.Unit(0))).Lexical);

        await using var other = CreateIndex();
        var e = await Assert.ThrowsAsync<IndexMismatchException>(() => other.InitializeAsync(new EmbedderDescriptor("big", 8), CancellationToken.None));
        Assert.Contains("an unrecorded embedder (4 dimensions)", e.Message, StringComparison.Ordinal);
    }
}
