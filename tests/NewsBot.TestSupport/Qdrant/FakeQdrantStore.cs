using Grpc.Core;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>The fake's collections, behind one lock (Qdrant applies each operation atomically).</summary>
internal sealed class FakeQdrantStore(FakeQdrantServerOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeQdrantCollection> _collections = new(StringComparer.Ordinal);

    public FakeQdrantServerOptions Options { get; } = options;

    public bool Exists(string name)
    {
        lock (_gate)
            return _collections.ContainsKey(name);
    }

    public List<string> Names()
    {
        lock (_gate)
            return [.. _collections.Keys.Order(StringComparer.Ordinal)];
    }

    public void Create(CreateCollection request)
    {
        if (string.IsNullOrEmpty(request.CollectionName) || request.CollectionName.IndexOfAny(['/', '\\', '?', '#']) >= 0)
            throw FakeQdrantCollection.Invalid($"Wrong input: Collection name '{request.CollectionName}' is not valid");
        var collection = new FakeQdrantCollection(request, Options.SupportsCollectionMetadata);
        lock (_gate)
        {
            if (_collections.ContainsKey(request.CollectionName))
                throw new RpcException(new Status(StatusCode.AlreadyExists, $"Wrong input: Collection `{request.CollectionName}` already exists!"));
            _collections[request.CollectionName] = collection;
        }
    }

    public bool Remove(string name)
    {
        lock (_gate)
            return _collections.Remove(name);
    }

    public Task<T> Read<T>(string name, Func<FakeQdrantCollection, T> read) => Write(name, read);

    public Task<T> Write<T>(string name, Func<FakeQdrantCollection, T> write)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(name, out var collection))
                throw new RpcException(new Status(StatusCode.NotFound, $"Not found: Collection `{name}` doesn't exist!"));
            return Task.FromResult(write(collection));
        }
    }

    public FakeQdrantCollectionState? Snapshot(string name)
    {
        lock (_gate)
            return _collections.TryGetValue(name, out var collection) ? collection.Snapshot() : null;
    }

    public void Seed(CreateCollection request, Action<FakeQdrantCollection>? configure)
    {
        var collection = new FakeQdrantCollection(request, Options.SupportsCollectionMetadata);
        configure?.Invoke(collection);
        lock (_gate)
            _collections[request.CollectionName] = collection;
    }
}
