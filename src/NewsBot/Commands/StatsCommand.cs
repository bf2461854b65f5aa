using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Host.Output;

namespace NewsBot.Host.Commands;

internal static class StatsCommand
{
    public static Command Create(CommandContext context)
    {
        var json = AskCommand.JsonOption("Print one JSON object: index, articles, passages, sources, oldest, newest, embedder, details.");
        var command = new Command("stats", "Show the index: where it is, articles, passages, sources, date range, embedder.") { json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var index = services.GetRequiredService<IPassageIndex>();
            await index.OpenForReadingAsync(services.GetRequiredService<EmbedderDescriptor>(), cancellationToken);
            var stats = await index.GetStatisticsAsync(cancellationToken);
            var output = context.Output;
            if (parseResult.GetValue(json))
            {
                output.Line(CliJsonContext.Serialize(new StatsJson(stats.Location, stats.Articles, stats.Passages, stats.Sources,
                    Formatting.Date(stats.OldestPublished), Formatting.Date(stats.NewestPublished), stats.Embedder?.ToString(), stats.Details)));
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
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }
}
