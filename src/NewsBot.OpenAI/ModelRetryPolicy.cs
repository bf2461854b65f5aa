using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace NewsBot.OpenAI;

/// <summary>
/// Retries 408, 429 and 5xx answers (not 501 or 505, which no retry mends) and dropped connections, up to
/// <c>Model:MaxRetries</c> times. The wait is what the server asks for (<c>retry-after-ms</c>, then
/// <c>Retry-After</c> in seconds or as a date), else 0.5 s doubling per attempt; never more than
/// <see cref="MaxDelay"/>. Waiting goes through a <see cref="TimeProvider"/>, so tests see the delays without
/// sleeping. It replaces the SDK's own retry policy, which would retry again underneath.
/// </summary>
internal sealed partial class ModelRetryPolicy : PipelinePolicy
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    private readonly int _maxRetries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ModelRetryPolicy(int maxRetries, TimeProvider timeProvider, ILogger logger)
    {
        _maxRetries = maxRetries;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    // The adapters only call the SDK's async methods; the sync path follows the same rules for completeness. With
    // async: false every step completes synchronously, so GetResult never blocks on a pending task.
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex, async: true);

    private async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex, bool async)
    {
        for (var attempt = 0; ; attempt++)
        {
            Exception? failure = null;
            try
            {
                if (async)
                    await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
                else
                    ProcessNext(message, pipeline, currentIndex);
            }
            catch (Exception ex) when (IsTransient(ex, message))
            {
                failure = ex;
            }
            if (!ShouldRetry(message, failure, attempt, out var delay))
            {
                if (failure is not null)
                    ExceptionDispatchInfo.Throw(failure);
                return;
            }
            if (async)
            {
                await Task.Delay(delay, _timeProvider, message.CancellationToken).ConfigureAwait(false);
            }
            else
            {
                message.CancellationToken.WaitHandle.WaitOne(delay);
                message.CancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private bool ShouldRetry(PipelineMessage message, Exception? failure, int attempt, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (attempt >= _maxRetries || message.CancellationToken.IsCancellationRequested)
            return false;
        var response = failure is null ? message.Response : null;
        if (failure is null && (response is null || !IsRetriable(response.Status)))
            return false;
        delay = Delay(response, attempt);
        LogRetry(_logger, response is null ? "no response (" + (failure?.Message ?? "connection failed") + ")" : "HTTP " + response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), delay.TotalSeconds, attempt + 1, _maxRetries);
        // Free the connection of the failed attempt before the next one replaces it.
        response?.Dispose();
        return true;
    }

    private static bool IsRetriable(int status) => status is 408 or 429 or (>= 500 and not 501 and not 505);

    private static bool IsTransient(Exception ex, PipelineMessage message) =>
        !message.CancellationToken.IsCancellationRequested
        && ex is HttpRequestException or IOException or ClientResultException { Status: 0 };

    private TimeSpan Delay(PipelineResponse? response, int attempt)
    {
        var asked = response is null ? null : RetryAfter(response);
        var delay = asked ?? TimeSpan.FromTicks(FirstDelay.Ticks << Math.Min(attempt, 10));
        return delay > MaxDelay ? MaxDelay : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    private TimeSpan? RetryAfter(PipelineResponse response)
    {
        if (response.Headers.TryGetValue("retry-after-ms", out var ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }
        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
            return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
            return when - _timeProvider.GetUtcNow();
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model endpoint gave {Outcome}; retrying in {Seconds:0.#} s ({Attempt} of {MaxRetries})")]
    private static partial void LogRetry(ILogger logger, string outcome, double seconds, int attempt, int maxRetries);
}
