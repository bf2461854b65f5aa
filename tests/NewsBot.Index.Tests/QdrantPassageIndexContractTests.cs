using System.Reflection;
using NewsBot.Core.Indexing;
using NewsBot.Qdrant;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Index.Tests;

/// <summary>
/// The passage index contract over Qdrant, against the in-process gRPC fake (stubs generated from Qdrant's own .proto
/// files). Each index gets a collection of its own on one server per test.
/// </summary>
public sealed class QdrantPassageIndexContractTests : PassageIndexContract
{
    private readonly Dictionary<IPassageIndex, QdrantOptions> _options = new(ReferenceEqualityComparer.Instance);
    private FakeQdrantServer? _server;

    protected override async Task<IPassageIndex> CreateIndexAsync(EmbedderDescriptor embedder)
    {
        _server ??= await FakeQdrantServer.StartAsync();
        var options = new QdrantOptions { Url = _server.Url, Collection = "contract-" + Guid.NewGuid().ToString("N")[..12] };
        var index = Track(new QdrantPassageIndex(options), options);
        await index.InitializeAsync(embedder, None);
        return index;
    }

    protected override Task<IPassageIndex> ReopenAsync(IPassageIndex previous) =>
        Task.FromResult<IPassageIndex>(Track(new QdrantPassageIndex(_options[previous]), _options[previous]));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is null)
            return;
        await _server.DisposeAsync();
    }

    private QdrantPassageIndex Track(QdrantPassageIndex index, QdrantOptions options)
    {
        _options[index] = options;
        return index;
    }
}

/// <summary>
/// The same contract against a real Qdrant when <c>QDRANT_URL</c> (and, if the server needs one, <c>QDRANT_API_KEY</c>)
/// is set; skipped with the reason otherwise. Each case runs in a collection of its own, deleted afterwards.
/// </summary>
public sealed class RealQdrantPassageIndexContractTests
{
    public static TheoryData<string> ContractCases()
    {
        var cases = new TheoryData<string>();
        foreach (var method in typeof(PassageIndexContract).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<FactAttribute>() is not null)
                cases.Add(method.Name);
        }
        return cases;
    }

    [RealQdrantTheory]
    [MemberData(nameof(ContractCases))]
    public async Task Contract_holds_against_a_real_server(string contractCase)
    {
        var suite = new RealServerSuite();
        await suite.InitializeAsync();
        try
        {
            var run = (Task)typeof(PassageIndexContract).GetMethod(contractCase)!.Invoke(suite, null)!;
            await run;
        }
        finally
        {
            await suite.DisposeAsync();
        }
    }

    /// <summary>Not public, so xunit does not run its inherited facts on its own; the theory above runs them.</summary>
    private sealed class RealServerSuite : PassageIndexContract
    {
        private readonly Dictionary<IPassageIndex, QdrantOptions> _options = new(ReferenceEqualityComparer.Instance);
        private readonly List<string> _collections = [];

        protected override async Task<IPassageIndex> CreateIndexAsync(EmbedderDescriptor embedder)
        {
            var options = Options("newsbot-contract-" + Guid.NewGuid().ToString("N")[..12]);
            _collections.Add(options.Collection);
            var index = new QdrantPassageIndex(options);
            _options[index] = options;
            await index.InitializeAsync(embedder, None);
            return index;
        }

        protected override Task<IPassageIndex> ReopenAsync(IPassageIndex previous)
        {
            var index = new QdrantPassageIndex(_options[previous]);
            _options[index] = _options[previous];
            return Task.FromResult<IPassageIndex>(index);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            using var client = new global::Qdrant.Client.QdrantClient(new Uri(RealQdrantTheoryAttribute.Url!), RealQdrantTheoryAttribute.ApiKey);
            foreach (var collection in _collections)
                await client.DeleteCollectionAsync(collection);
        }

        private static QdrantOptions Options(string collection) => new()
        {
            Url = RealQdrantTheoryAttribute.Url!,
            ApiKey = RealQdrantTheoryAttribute.ApiKey,
            Collection = collection,
        };
    }
}

/// <summary>A theory that runs only when <c>QDRANT_URL</c> names a Qdrant server to test against.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealQdrantTheoryAttribute : TheoryAttribute
{
    public RealQdrantTheoryAttribute()
    {
        if (string.IsNullOrWhiteSpace(Url))
            Skip = "Set QDRANT_URL (the gRPC address, e.g. http://localhost:6334; and QDRANT_API_KEY if the server needs one) to run the passage index contract against a real Qdrant.";
    }

    public static string? Url => Environment.GetEnvironmentVariable("QDRANT_URL");

    public static string? ApiKey => Environment.GetEnvironmentVariable("QDRANT_API_KEY");
}
