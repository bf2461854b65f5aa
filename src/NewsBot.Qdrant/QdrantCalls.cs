using Grpc.Core;
using Microsoft.Extensions.Logging;
using NewsBot.Core.Indexing;
using Polly;
using Polly.Retry;

namespace NewsBot.Qdrant;

/// <summary>
/// Runs every call to Qdrant: retried with exponential backoff and jitter when the failure is transient (Qdrant.Client
/// has no retry of its own), and turned into one line a user can act on when it is not. Each attempt has its own
/// deadline, set by the client from <see cref="QdrantOptions.TimeoutSeconds"/>.
/// </summary>
internal sealed partial class QdrantCalls
{
    private static readonly StatusCode[] Transient = [StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.ResourceExhausted, StatusCode.Aborted];

    private readonly ResiliencePipeline _pipeline;
    private readonly QdrantOptions _options;
    private readonly string _url;
    private readonly ILogger _logger;

    public QdrantCalls(QdrantOptions options, string url, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _url = url;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => Transient.Contains(e.StatusCode)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(10),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is RpcException e)
                        LogRetry(_logger, e.StatusCode.ToString(), args.AttemptNumber + 1, _options.MaxRetries, args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }
        _pipeline = builder.Build();
    }

    /// <param name="what">What the call does, for the message when it fails ("create the collection").</param>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (RpcException e)
        {
            throw Describe(e, what);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new IndexUnavailableException($"Qdrant at {_url} could not be reached to {what} ({e.Message}). Check that it is running and that Qdrant:Url is its gRPC address (port 6334).", e);
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> call, string what, CancellationToken cancellationToken) =>
        RunAsync(async token =>
        {
            await call(token).ConfigureAwait(false);
            return true;
        }, what, cancellationToken);

    /// <summary>The one line a user reads for a failed call.</summary>
    public IndexUnavailableException Describe(RpcException e, string what)
    {
        var detail = string.IsNullOrWhiteSpace(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail;
        var message = e.StatusCode switch
        {
            StatusCode.Unavailable =>
                $"Qdrant at {_url} is not reachable ({detail}), so NewsBot could not {what}{Retried}. Start Qdrant (docker compose up -d qdrant), or set Qdrant:Url to its gRPC address (port 6334).",
            StatusCode.DeadlineExceeded =>
                $"Qdrant at {_url} did not answer within Qdrant:TimeoutSeconds ({_options.TimeoutSeconds} s) to {what}{Retried}. Check the server's load, or raise Qdrant:TimeoutSeconds.",
            StatusCode.Unauthenticated =>
                $"Qdrant at {_url} refused the API key ({detail}). Check Qdrant:ApiKey (NEWSBOT__Qdrant__ApiKey).",
            StatusCode.PermissionDenied =>
                $"Qdrant at {_url} does not allow this key to {what} ({detail}). A read-only key can search but not ingest; check Qdrant:ApiKey.",
            StatusCode.ResourceExhausted =>
                $"Qdrant at {_url} is overloaded and refused to {what}{Retried} ({detail}). Try again later, or lower Qdrant:BatchSize.",
            StatusCode.Unimplemented =>
                $"Qdrant at {_url} does not implement what NewsBot needs to {what} ({detail}). NewsBot needs Qdrant 1.15 or later on its gRPC port (6334).",
            _ => $"Qdrant at {_url} could not {what}: {detail}",
        };
        return new IndexUnavailableException(message, e);
    }

    private string Retried => _options.MaxRetries > 0 ? $" after {_options.MaxRetries + 1} attempts" : "";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Qdrant answered {Status}; retry {Attempt} of {MaxRetries} in {DelayMilliseconds:0} ms")]
    private static partial void LogRetry(ILogger logger, string status, int attempt, int maxRetries, double delayMilliseconds);
}
