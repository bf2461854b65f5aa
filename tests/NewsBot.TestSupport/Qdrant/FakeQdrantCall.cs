using Google.Protobuf;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>One call the fake received: the gRPC method (<c>/qdrant.Points/Upsert</c>), its request, and whether it carried an api key.</summary>
public sealed record FakeQdrantCall(string Method, IMessage Request, string? ApiKey)
{
    /// <summary>The method's short name, e.g. <c>Upsert</c>.</summary>
    public string Name => Method[(Method.LastIndexOf('/') + 1)..];
}
