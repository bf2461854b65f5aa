using NewsBot.Core.Indexing;
using NewsBot.TestSupport;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

/// <summary>
/// A fresh fake Qdrant and an index pointed at it for each test. On dispose, fails the test if any request the client
/// sent broke Qdrant's OpenAPI document, or if the fake itself answered outside it.
/// </summary>
public abstract class QdrantServerFixture : IAsyncLifetime
{
    internal ImmediateTimeProvider Clock { get; } = new();

    protected FakeQdrantServer Server { get; private set; } = null!;

    protected QdrantPassageIndex Index { get; private set; } = null!;

    protected virtual FakeQdrantServerOptions ServerOptions => new();

    public async Task InitializeAsync()
    {
        Server = await FakeQdrantServer.StartAsync(ServerOptions);
        Index = CreateIndex();
    }

    public async Task DisposeAsync()
    {
        await Index.DisposeAsync();
        await Server.DisposeAsync();
        Server.AssertRequestsMatchSpec();
        Assert.Empty(Server.ResponseViolations);
    }

    protected QdrantPassageIndex CreateIndex(Action<QdrantOptions>? configure = null, int scrollPageSize = 1000)
    {
        var options = new QdrantOptions { Url = Server.Url, Collection = "news", MaxRetries = 3, BatchSize = 2 };
        configure?.Invoke(options);
        return new QdrantPassageIndex(options, timeProvider: Clock) { ScrollPageSize = scrollPageSize };
    }

    protected Task InitializeAsync(QdrantPassageIndex index) => index.InitializeAsync(TestArticles.Embedder, CancellationToken.None);

    protected async Task<IReadOnlyList<PassageCandidate>> SearchAsync(string text, float[] vector, PassageFilter? filter = null, int limit = 10) =>
        await Index.SearchAsync(TestArticles.Query(text, vector, filter, limit), CancellationToken.None);
}
