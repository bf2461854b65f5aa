using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>
/// What happens before a call reaches its service: it is recorded, the api key is checked as Qdrant checks it, and
/// faults a test planned (a status answered instead, or a call that never answers) are played.
/// </summary>
internal sealed class FakeQdrantInterceptor(FakeQdrantServer server) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var apiKey = context.RequestHeaders.GetValue("api-key");
        server.Record(new FakeQdrantCall(context.Method, CloneMessage((IMessage)request), apiKey));
        if (server.Options.ApiKey is { } expected && apiKey != expected)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                apiKey is null ? "Must provide an API key or an Authorization bearer token" : "Invalid API key or JWT"));
        }
        switch (server.NextFault(context.Method))
        {
            case FakeQdrantFault.Fail fail:
                throw new RpcException(new Status(fail.Status, fail.Detail));
            case FakeQdrantFault.Hang:
                // Never answers: the client's deadline (or its cancellation) ends the call.
                await Task.Delay(Timeout.Infinite, context.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                throw new RpcException(new Status(StatusCode.Cancelled, "The client gave up waiting"));
        }
        return await continuation(request, context);
    }

    private static IMessage CloneMessage(IMessage message)
    {
        var copy = (IMessage)Activator.CreateInstance(message.GetType())!;
        copy.MergeFrom(message.ToByteString());
        return copy;
    }
}

/// <summary>A fault planned for a method's next calls.</summary>
public abstract record FakeQdrantFault
{
    /// <summary>Answer with this status and detail instead of serving the call.</summary>
    public sealed record Fail(StatusCode Status, string Detail) : FakeQdrantFault;

    /// <summary>Never answer.</summary>
    public sealed record Hang : FakeQdrantFault;
}
