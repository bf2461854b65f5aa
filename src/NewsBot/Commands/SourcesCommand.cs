using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Host.Output;

namespace NewsBot.Host.Commands;

internal static class SourcesCommand
{
    public static Command Create(CommandContext context)
    {
        var json = AskCommand.JsonOption("Print one JSON object: sources (name, articles, oldest, newest).");
        var command = new Command("sources", "List the sources in the index with their article counts and date ranges (the names --source takes).") { json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var index = services.GetRequiredService<IPassageIndex>();
            await index.OpenForReadingAsync(services.GetRequiredService<EmbedderDescriptor>(), cancellationToken);
            var sources = await index.GetSourceSummariesAsync(cancellationToken);
            var output = context.Output;
            if (parseResult.GetValue(json))
            {
                output.Line(CliJsonContext.Serialize(new SourcesJson(sources.Select(s =>
                    new SourceJson(s.Name, s.Articles, Formatting.Date(s.Oldest), Formatting.Date(s.Newest))).ToList())));
                return CommandContext.Success;
            }
            if (sources.Count == 0)
            {
                output.Line("No sources: the indexed articles name none (JSON, feed and Markdown articles can carry a source).");
                return CommandContext.Success;
            }
            var width = Math.Min(40, sources.Max(s => s.Name.Length));
            foreach (var s in sources)
            {
                var dates = s.Oldest is null ? "undated" : $"{Formatting.Date(s.Oldest)} to {Formatting.Date(s.Newest)}";
                output.Line($"{s.Name.PadRight(width)}  {s.Articles.ToString(CultureInfo.InvariantCulture),7} articles  {dates}");
            }
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    /// <summary>
    /// Stops with exit code 2 when a <c>--source</c> names no source in the index, naming the closest ones, rather
    /// than answering "the articles don't say" about a filter that can match nothing.
    /// </summary>
    public static async Task CheckAsync(IServiceProvider services, IReadOnlyList<string>? requested, CancellationToken cancellationToken)
    {
        if (requested is not { Count: > 0 })
            return;
        var known = await services.GetRequiredService<IPassageIndex>().GetSourcesAsync(null, int.MaxValue, cancellationToken);
        var unknown = SourceNames.Unknown(requested, known);
        if (unknown.Count == 0)
            return;
        var messages = unknown.Select(name => SourceNames.Closest(name, known) is { Count: > 0 } closest
            ? $"No source '{name}' in the index; the closest: {string.Join(", ", closest.Select(c => $"'{c}'"))}."
            : $"No source '{name}' in the index.");
        throw new UsageException(string.Join(" ", messages) + " See: newsbot sources");
    }
}
