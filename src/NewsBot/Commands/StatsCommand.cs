using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Host.Output;
using NewsBot.Web;

namespace NewsBot.Host.Commands;

internal static class StatsCommand
{
    public static Command Create(CommandContext context)
    {
        var json = AskCommand.JsonOption("Print one JSON object: index, articles, passages, sources, oldest, newest, embedder, details, feeds (url, last_poll, status, articles).");
        var command = new Command("stats", "Show the index: where it is, articles, passages, sources, date range, embedder.") { json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var index = services.GetRequiredService<IPassageIndex>();
            await index.OpenForReadingAsync(services.GetRequiredService<EmbedderDescriptor>(), cancellationToken);
            var stats = await index.GetStatisticsAsync(cancellationToken);
            var feeds = await FeedsAsync(services, cancellationToken);
            var output = context.Output;
            if (parseResult.GetValue(json))
            {
                output.Line(CliJsonContext.Serialize(new StatsJson(stats.Location, stats.Articles, stats.Passages, stats.Sources,
                    Formatting.Date(stats.OldestPublished), Formatting.Date(stats.NewestPublished), stats.Embedder?.ToString(), stats.Details, feeds)));
                return CommandContext.Success;
            }
            output.Line($"index       {stats.Location}");
            output.Line($"articles    {stats.Articles.ToString(CultureInfo.InvariantCulture)}");
            output.Line($"passages    {stats.Passages.ToString(CultureInfo.InvariantCulture)}");
            output.Line($"sources     {stats.Sources.ToString(CultureInfo.InvariantCulture)}");
            output.Line($"dates       {(stats.OldestPublished is null ? "none" : $"{Formatting.Date(stats.OldestPublished)} to {Formatting.Date(stats.NewestPublished)}")}");
            output.Line($"embedder    {stats.Embedder?.ToString() ?? "none"}");
            foreach (var (key, value) in stats.Details)
                output.Line($"{key,-11} {value}");
            foreach (var feed in feeds)
            {
                var state = feed.LastPoll is { } at
                    ? $"last poll {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, {feed.Status}, {feed.Articles.ToString(CultureInfo.InvariantCulture)} articles"
                    : "not polled yet";
                output.Line($"feed        {feed.Url}  {state}");
            }
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>The feeds of Feeds:Urls, with what the last poll (by serve or ingest --feeds) recorded of each.</summary>
    private static async Task<List<FeedJson>> FeedsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var configured = services.GetRequiredService<FeedsOptions>().FeedUrls;
        if (configured.Count == 0)
            return [];
        var states = await services.GetRequiredService<FeedStateStore>().LoadAsync(cancellationToken);
        return configured.Select(url =>
        {
            var key = Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) ? uri.AbsoluteUri : url;
            return states.TryGetValue(key, out var state)
                ? new FeedJson(url, state.LastPoll, state.Status ?? "ok", state.Articles)
                : new FeedJson(url, null, "not polled yet", 0);
        }).ToList();
    }
}
