using Grpc.Core;
using NewsBot.TestSupport.Qdrant;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace NewsBot.Qdrant.Tests;

/// <summary>The gRPC fake against the official client: the fake is right when Qdrant.Client is happy with it.</summary>
public sealed class FakeQdrantServerTests : IAsyncLifetime
{
    private FakeQdrantServer _server = null!;
    private QdrantClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeQdrantServer.StartAsync(new FakeQdrantServerOptions { ApiKey = "k" });
        _client = new QdrantClient(new Uri(_server.Url), "k");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task CreateAsync(string name = "c")
    {
        await _client.CreateCollectionAsync(name, new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 2, Distance = Distance.Cosine } } },
            sparseVectorsConfig: new SparseVectorConfig { Map = { ["lexical"] = new SparseVectorParams { Modifier = Modifier.Idf } } });
    }

    private static PointStruct Point(ulong id, float[] dense, (float[] Values, uint[] Indices) sparse, Dictionary<string, Value> payload)
    {
        var point = new PointStruct
        {
            Id = id,
            Vectors = new Dictionary<string, Vector> { ["dense"] = dense, ["lexical"] = sparse },
        };
        foreach (var (key, value) in payload)
            point.Payload[key] = value;
        return point;
    }

    [Fact]
    public async Task A_missing_collection_is_not_found_and_an_existing_one_already_exists()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => _client.GetCollectionInfoAsync("nope"));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.False(await _client.CollectionExistsAsync("nope"));

        await CreateAsync();
        Assert.True(await _client.CollectionExistsAsync("c"));
        var twice = await Assert.ThrowsAsync<RpcException>(() => CreateAsync());
        Assert.Equal(StatusCode.AlreadyExists, twice.StatusCode);
    }

    [Fact]
    public async Task Bad_ids_wrong_sizes_and_unknown_vector_names_are_invalid_arguments_with_qdrants_messages()
    {
        await CreateAsync();
        var badId = await Assert.ThrowsAsync<RpcException>(() => _client.UpsertAsync("c", [new PointStruct { Id = new PointId { Uuid = "not-a-uuid" }, Vectors = new Dictionary<string, float[]> { ["dense"] = [1, 0] } }]));
        Assert.Equal(StatusCode.InvalidArgument, badId.StatusCode);
        var size = await Assert.ThrowsAsync<RpcException>(() => _client.UpsertAsync("c", [new PointStruct { Id = 1, Vectors = new Dictionary<string, float[]> { ["dense"] = [1, 0, 0] } }]));
        Assert.Contains("expected dim: 2, got 3", size.Status.Detail, StringComparison.Ordinal);
        var name = await Assert.ThrowsAsync<RpcException>(() => _client.UpsertAsync("c", [new PointStruct { Id = 1, Vectors = new Dictionary<string, float[]> { ["other"] = [1, 0] } }]));
        Assert.Contains("Not existing vector name", name.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(_server.Collection("c")!.Points);
    }

    [Fact]
    public async Task Calls_without_the_api_key_are_unauthenticated()
    {
        using var anonymous = new QdrantClient(new Uri(_server.Url));
        var e = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListCollectionsAsync());
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Filters_follow_qdrants_semantics()
    {
        await CreateAsync();
        await _client.UpsertAsync("c",
        [
            Point(1, [1, 0], ([1f], [7u]), new() { ["tag"] = "a", ["day"] = "2024-05-01T00:00:00Z", ["flag"] = true }),
            Point(2, [0, 1], ([1f], [7u]), new() { ["tag"] = "b", ["day"] = "2024-05-03T00:00:00+02:00" }),
            Point(3, [1, 1], ([1f], [7u]), new() { ["tag"] = "a" }),
        ]);

        Assert.Equal(2ul, await _client.CountAsync("c", MatchKeyword("tag", "a")));
        Assert.Equal(1ul, await _client.CountAsync("c", MatchKeyword("tag", "a") & !IsEmpty("day")));
        Assert.Equal(2ul, await _client.CountAsync("c", DatetimeRange("day", gte: new DateTime(2024, 5, 2, 0, 0, 0, DateTimeKind.Utc)) | Match("flag", true)));
        Assert.Equal(1ul, await _client.CountAsync("c", HasId(3ul)));
        Assert.Equal(3ul, await _client.CountAsync("c", Match("tag", ["a", "b"])));
    }

    [Fact]
    public async Task Sparse_queries_score_by_dot_product_times_idf_and_dense_by_cosine()
    {
        await CreateAsync();
        await _client.UpsertAsync("c",
        [
            Point(1, [1, 0], ([1f, 1f], [1u, 2u]), []),
            Point(2, [0, 1], ([1f], [1u]), []),
            Point(3, [1, 1], ([2f], [3u]), []),
        ]);

        var results = await _client.QueryBatchAsync("c",
        [
            new QueryPoints { CollectionName = "c", Query = new Query { Nearest = new VectorInput { Sparse = new SparseVector { Indices = { 2u, 3u }, Values = { 1f, 1f } } } }, Using = "lexical", Limit = 10 },
            new QueryPoints { CollectionName = "c", Query = new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { 2f, 0f } } } }, Using = "dense", Limit = 2 },
        ]);

        var idf = Math.Log(1 + ((3 - 1 + 0.5) / (1 + 0.5)));
        var sparse = results[0].Result;
        Assert.Equal([3ul, 1ul], sparse.Select(p => p.Id.Num));
        Assert.Equal(2 * idf, sparse[0].Score, 4);
        Assert.Equal(idf, sparse[1].Score, 4);
        var dense = results[1].Result;
        Assert.Equal([1ul, 3ul], dense.Select(p => p.Id.Num));
        Assert.Equal(1.0, dense[0].Score, 4);
        Assert.Equal(Math.Sqrt(0.5), dense[1].Score, 4);
    }

    [Fact]
    public async Task Scroll_pages_in_id_order_and_facets_need_a_keyword_index()
    {
        await CreateAsync();
        await _client.UpsertAsync("c", [.. Enumerable.Range(1, 5).Select(i => Point((ulong)i, [1, 0], ([1f], [1u]), new() { ["s"] = i % 2 == 0 ? "even" : "odd" }))]);

        var first = await _client.ScrollAsync("c", limit: 2);
        Assert.Equal([1ul, 2ul], first.Result.Select(p => p.Id.Num));
        var second = await _client.ScrollAsync("c", limit: 2, offset: first.NextPageOffset);
        Assert.Equal([3ul, 4ul], second.Result.Select(p => p.Id.Num));

        var noIndex = await Assert.ThrowsAsync<RpcException>(() => _client.FacetAsync("c", "s"));
        Assert.Equal(StatusCode.InvalidArgument, noIndex.StatusCode);
        await _client.CreatePayloadIndexAsync("c", "s", PayloadSchemaType.Keyword);
        var facet = await _client.FacetAsync("c", "s");
        Assert.Equal([("odd", 3ul), ("even", 2ul)], facet.Hits.Select(h => (h.Value.StringValue, h.Count)));
    }

    [Fact]
    public async Task Planned_faults_are_played_once_each_then_the_server_serves_again()
    {
        await CreateAsync();
        _server.Fail("Count", StatusCode.Unavailable, times: 2);

        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => _client.CountAsync("c"))).StatusCode);
        Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => _client.CountAsync("c"))).StatusCode);
        Assert.Equal(0ul, await _client.CountAsync("c"));
    }

    [Fact]
    public async Task Collection_info_reports_the_schema_and_metadata_it_was_created_with()
    {
        await _client.CreateCollectionAsync(new CreateCollection
        {
            CollectionName = "m",
            VectorsConfig = new VectorsConfig { ParamsMap = new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 3, Distance = Distance.Cosine, Memory = Memory.Cold } } } },
            ShardNumber = 2,
            Metadata = { ["owner"] = "newsbot" },
        });

        var info = await _client.GetCollectionInfoAsync("m");

        Assert.Equal(3ul, info.Config.Params.VectorsConfig.ParamsMap.Map["dense"].Size);
        Assert.Equal(Memory.Cold, info.Config.Params.VectorsConfig.ParamsMap.Map["dense"].Memory);
        Assert.Equal(2u, info.Config.Params.ShardNumber);
        Assert.Equal("newsbot", info.Config.Metadata["owner"].StringValue);
        Assert.Equal("1.19.0", (await _client.HealthAsync()).Version);
    }
}
