using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>
/// An in-process Qdrant on 127.0.0.1 speaking Qdrant's gRPC API (the public Collections, Points and Qdrant services,
/// with server stubs generated from Qdrant's own .proto files): NOT_FOUND for a missing collection, ALREADY_EXISTS for
/// an existing one, INVALID_ARGUMENT with Qdrant's message for a bad id or vector size, UNAUTHENTICATED without the
/// api key, filters, sparse vectors with the idf modifier, limits, <c>wait</c>. It is right when the official
/// Qdrant.Client is happy with it. Faults can be planned per method (<see cref="Fail"/>, <see cref="Hang"/>).
/// </summary>
public sealed class FakeQdrantServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeQdrantCall> _calls = new();
    private readonly Lock _faultGate = new();
    private readonly Dictionary<string, Queue<FakeQdrantFault>> _faults = new(StringComparer.Ordinal);
    private readonly FakeQdrantStore _store;
    private int _disposed;

    private FakeQdrantServer(WebApplication app, FakeQdrantStore store, FakeQdrantServerOptions options)
    {
        _app = app;
        _store = store;
        Options = options;
    }

    public FakeQdrantServerOptions Options { get; }

    /// <summary>The gRPC address, <c>http://127.0.0.1:port</c>: what Qdrant:Url takes.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Every call received, in order (api-key failures and planned faults included).</summary>
    public IReadOnlyList<FakeQdrantCall> Calls => [.. _calls];

    public static async Task<FakeQdrantServer> StartAsync(FakeQdrantServerOptions? options = null)
    {
        options ??= new FakeQdrantServerOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var store = new FakeQdrantStore(options);
        FakeQdrantServer? server = null;
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(_ => server!);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<FakeQdrantInterceptor>();
            // Qdrant's own limit on a message (the default 4 MB is lower than what a batch of passages may need).
            grpc.MaxReceiveMessageSize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        app.MapGrpcService<FakeCollectionsService>();
        app.MapGrpcService<FakePointsService>();
        app.MapGrpcService<FakeHealthService>();
        server = new FakeQdrantServer(app, store, options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    /// <summary>Answers the next <paramref name="times"/> calls of <paramref name="method"/> (a short name such as <c>Upsert</c>) with <paramref name="status"/>.</summary>
    public void Fail(string method, StatusCode status, int times = 1, string? detail = null)
    {
        for (var i = 0; i < times; i++)
            Plan(method, new FakeQdrantFault.Fail(status, detail ?? DefaultDetail(status)));
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> never answer.</summary>
    public void Hang(string method, int times = 1)
    {
        for (var i = 0; i < times; i++)
            Plan(method, new FakeQdrantFault.Hang());
    }

    /// <summary>Forgets every planned fault that has not been played yet.</summary>
    public void ClearFaults()
    {
        lock (_faultGate)
            _faults.Clear();
    }

    /// <summary>A copy of a collection, or null when it does not exist.</summary>
    public FakeQdrantCollectionState? Collection(string name) => _store.Snapshot(name);

    /// <summary>Creates a collection directly (as another tool would have), bypassing the API.</summary>
    public void SeedCollection(CreateCollection request, IReadOnlyDictionary<string, PayloadSchemaType>? indexes = null) =>
        _store.Seed(request, collection =>
        {
            foreach (var (field, type) in indexes ?? new Dictionary<string, PayloadSchemaType>())
                collection.Indexes[field] = type;
        });

    public int CallCount(string method) => _calls.Count(c => c.Name == method);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal void Record(FakeQdrantCall call) => _calls.Enqueue(call);

    internal FakeQdrantFault? NextFault(string method)
    {
        var name = method[(method.LastIndexOf('/') + 1)..];
        lock (_faultGate)
            return _faults.TryGetValue(name, out var queue) && queue.TryDequeue(out var fault) ? fault : null;
    }

    private void Plan(string method, FakeQdrantFault fault)
    {
        lock (_faultGate)
        {
            if (!_faults.TryGetValue(method, out var queue))
                _faults[method] = queue = new Queue<FakeQdrantFault>();
            queue.Enqueue(fault);
        }
    }

    private static string DefaultDetail(StatusCode status) => status switch
    {
        StatusCode.Unavailable => "Service unavailable: the node is restarting",
        StatusCode.ResourceExhausted => "Too many requests",
        StatusCode.Aborted => "Operation aborted: a concurrent update conflicted",
        StatusCode.Internal => "Service internal error: storage is corrupted",
        _ => status.ToString(),
    };
}
