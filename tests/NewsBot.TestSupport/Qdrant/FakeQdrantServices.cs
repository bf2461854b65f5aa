using Grpc.Core;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>The public <c>qdrant.Collections</c> service, playing Qdrant's side for what NewsBot calls.</summary>
internal sealed class FakeCollectionsService(FakeQdrantStore store) : Collections.CollectionsBase
{
    public override Task<GetCollectionInfoResponse> Get(GetCollectionInfoRequest request, ServerCallContext context) =>
        store.Read(request.CollectionName, c => new GetCollectionInfoResponse { Result = c.Info() });

    public override Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context) =>
        Task.FromResult(new CollectionExistsResponse { Result = new CollectionExists { Exists = store.Exists(request.CollectionName) } });

    public override Task<ListCollectionsResponse> List(ListCollectionsRequest request, ServerCallContext context)
    {
        var response = new ListCollectionsResponse();
        foreach (var name in store.Names())
            response.Collections.Add(new CollectionDescription { Name = name });
        return Task.FromResult(response);
    }

    public override Task<CollectionOperationResponse> Create(CreateCollection request, ServerCallContext context)
    {
        store.Create(request);
        return Task.FromResult(new CollectionOperationResponse { Result = true });
    }

    public override Task<CollectionOperationResponse> Update(UpdateCollection request, ServerCallContext context) =>
        store.Write(request.CollectionName, c =>
        {
            c.Update(request);
            return new CollectionOperationResponse { Result = true };
        });

    public override Task<CollectionOperationResponse> Delete(DeleteCollection request, ServerCallContext context) =>
        Task.FromResult(new CollectionOperationResponse { Result = store.Remove(request.CollectionName) });
}

/// <summary>The public <c>qdrant.Points</c> service: writes, scroll, count, facet and (batched) nearest-neighbour queries.</summary>
internal sealed class FakePointsService(FakeQdrantStore store) : Points.PointsBase
{
    public override Task<PointsOperationResponse> Upsert(UpsertPoints request, ServerCallContext context) =>
        store.Write(request.CollectionName, c => new PointsOperationResponse { Result = c.Upsert(request) });

    public override Task<PointsOperationResponse> Delete(DeletePoints request, ServerCallContext context) =>
        store.Write(request.CollectionName, c => new PointsOperationResponse { Result = c.Delete(request) });

    public override Task<PointsOperationResponse> CreateFieldIndex(CreateFieldIndexCollection request, ServerCallContext context) =>
        store.Write(request.CollectionName, c => new PointsOperationResponse { Result = c.CreateIndex(request) });

    public override Task<ScrollResponse> Scroll(ScrollPoints request, ServerCallContext context) =>
        store.Read(request.CollectionName, c => c.Scroll(request));

    public override Task<CountResponse> Count(CountPoints request, ServerCallContext context) =>
        store.Read(request.CollectionName, c => new CountResponse { Result = new CountResult { Count = c.Count(request) } });

    public override Task<FacetResponse> Facet(FacetCounts request, ServerCallContext context) =>
        store.Read(request.CollectionName, c => c.Facet(request));

    public override Task<QueryResponse> Query(QueryPoints request, ServerCallContext context) =>
        store.Read(request.CollectionName, c =>
        {
            var response = new QueryResponse();
            response.Result.Add(c.Query(request).Result);
            return response;
        });

    public override Task<QueryBatchResponse> QueryBatch(QueryBatchPoints request, ServerCallContext context) =>
        store.Read(request.CollectionName, c =>
        {
            var response = new QueryBatchResponse();
            foreach (var query in request.QueryPoints)
            {
                if (query.CollectionName.Length > 0 && query.CollectionName != request.CollectionName)
                    throw FakeQdrantCollection.Invalid("Wrong input: every query of a batch must name the batch's collection");
                response.Result.Add(c.Query(query));
            }
            return response;
        });
}

/// <summary>The <c>qdrant.Qdrant</c> service: the health check, which reports the version.</summary>
internal sealed class FakeHealthService(FakeQdrantStore store) : global::Qdrant.Client.Grpc.Qdrant.QdrantBase
{
    public override Task<HealthCheckReply> HealthCheck(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckReply { Title = "qdrant - vector search engine", Version = store.Options.Version, Commit = "fake" });
}
