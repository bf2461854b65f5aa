using NewsBot.Core.Indexing;
using NewsBot.TestSupport;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

/// <summary>A fresh gRPC fake Qdrant and an index pointed at it for each test.</summary>
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
    }

    protected QdrantPassageIndex CreateIndex(Action<QdrantOptions>? configure = null, uint scrollPageSize = 1000)
    {
        var options = new QdrantOptions { Url = Server.Url, Collection = "news", MaxRetries = 3, BatchSize = 2 };
        configure?.Invoke(options);
        return new QdrantPassageIndex(options, timeProvider: Clock) { ScrollPageSize = scrollPageSize };
    }

    protected Task InitializeAsync(QdrantPassageIndex index) => index.InitializeAsync(TestArticles.Embedder, CancellationToken.None);

    protected async Task<CandidateLists> SearchAsync(string text, float[] vector, PassageFilter? filter = null, int depth = 10) =>
        await Index.SearchAsync(TestArticles.Query(text, vector, filter, depth), CancellationToken.None);

    /// <summary>The short names of the calls the server received, in order.</summary>
    protected List<string> CallNames() => Server.Calls.Select(c => c.Name).ToList();
}
