using Microsoft.Extensions.Logging;

namespace NewsBot.Web;

/// <summary>
/// Polls Feeds:Urls every Feeds:PollInterval while <c>serve</c> runs, first at start, and logs one summary line per
/// poll. A poll that fails as a whole (the index locked, the disk full) is logged and the next one tries again; a
/// failing feed only shows in its line.
/// </summary>
public sealed partial class FeedPoller(WebIngestor ingestor, FeedsOptions options, TimeProvider time, ILogger<FeedPoller> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (options.FeedUrls.Count == 0)
            return;
        LogStarted(logger, options.FeedUrls.Count, options.PollInterval);
        while (!cancellationToken.IsCancellationRequested)
        {
            await PollOnceAsync(cancellationToken);
            try
            {
                await Task.Delay(options.PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<WebIngestReport?> PollOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var report = await ingestor.IngestAsync(options.FeedUrls, cancellationToken);
            LogPolled(logger, report.Summary);
            foreach (var skip in report.Skipped)
                LogSkipped(logger, skip.File, skip.Reason);
            return report;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            LogPollFailed(logger, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Polling {Count} feeds every {Interval}")]
    private static partial void LogStarted(ILogger logger, int count, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Summary}")]
    private static partial void LogPolled(ILogger logger, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {Url}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string url, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A feed poll failed: {Reason}; the next poll tries again")]
    private static partial void LogPollFailed(ILogger logger, string reason);
}
