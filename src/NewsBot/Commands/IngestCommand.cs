using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Core.Ingestion;
using Spectre.Console;

namespace NewsBot.Host.Commands;

internal static class IngestCommand
{
    public static Command Create(CommandContext context)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Files or folders (recursive) of articles: .txt .md .html .json .jsonl .jsonl.gz .rss .atom .xml" };
        var prune = new Option<bool>("--prune") { Description = "Remove indexed articles whose source files under these paths are gone." };
        var strict = new Option<bool>("--strict") { Description = "Exit with code 1 when any file or record was skipped." };
        var command = new Command("ingest", "Load articles, split them into passages, embed and index them. Unchanged articles are not rewritten.") { paths, prune, strict };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var inputs = parseResult.GetValue(paths)!;
            foreach (var path in inputs)
            {
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new UsageException($"'{path}' is neither a file nor a folder.");
            }
            var pipeline = services.GetRequiredService<IngestionPipeline>();
            // An index that gains from it groups an ingest's writes (the embedded one: per-article savepoints in larger
            // transactions); each article still commits whole, and a crash costs at most the last group, rewritten next run.
            var index = services.GetRequiredService<IPassageIndex>();
            await index.InitializeAsync(services.GetRequiredService<EmbedderDescriptor>(), cancellationToken);
            using var bulk = index.BeginBulkWrite();
            var report = context.Output.Interactive
                ? await RunWithProgressAsync(context, pipeline, inputs, parseResult.GetValue(prune), cancellationToken)
                : await pipeline.RunAsync(inputs, parseResult.GetValue(prune), null, cancellationToken);
            Print(context, report);
            if (report.Cancelled)
            {
                context.Output.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"ingest cancelled (Ctrl-C) after writing {report.Added + report.Updated} articles, each whole. Run the same command again to finish: unchanged articles are skipped."));
                return CommandContext.Cancelled;
            }
            return parseResult.GetValue(strict) && report.Skipped.Count > 0 ? CommandContext.Failure : CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static async Task<IngestionReport> RunWithProgressAsync(CommandContext context, IngestionPipeline pipeline, string[] inputs, bool prune, CancellationToken cancellationToken)
    {
        IngestionReport? report = null;
        await context.Output.Ansi.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progressContext =>
            {
                // Two bars that count real work: the input read (bytes, so one large .jsonl.gz moves too), then the
                // articles written of those loaded.
                var reading = progressContext.AddTask("Reading files", maxValue: 1);
                var writing = progressContext.AddTask("Writing articles", maxValue: 1);
                var progress = new SynchronousProgress<IngestionProgress>(p =>
                {
                    reading.MaxValue = Math.Max(1, p.BytesTotal);
                    reading.Value = Math.Min(p.BytesRead, reading.MaxValue);
                    reading.Description = string.Create(CultureInfo.InvariantCulture, $"Reading files ({p.FilesRead} of {p.FilesTotal})");
                    writing.MaxValue = Math.Max(1, p.Loaded);
                    writing.Value = Math.Min(p.Articles + p.Skipped, writing.MaxValue);
                    writing.Description = string.Create(CultureInfo.InvariantCulture, $"{p.Articles} articles, {p.Passages} passages, {p.Skipped} skipped");
                });
                report = await pipeline.RunAsync(inputs, prune, progress, cancellationToken);
                reading.Value = reading.MaxValue;
                writing.Value = writing.MaxValue;
            });
        return report!;
    }

    private static void Print(CommandContext context, IngestionReport report)
    {
        var o = context.Output;
        o.Line(string.Create(CultureInfo.InvariantCulture,
            $"added {report.Added}, updated {report.Updated}, unchanged {report.Unchanged}, pruned {report.Pruned}, skipped {report.Skipped.Count}"));
        o.Line(string.Create(CultureInfo.InvariantCulture,
            $"passages {report.Passages}, seconds {report.Elapsed.TotalSeconds:0.0}, articles per second {report.ArticlesPerSecond:0.0}"));
        PrintList(o, "warnings:", report.Warnings);
        PrintList(o, "skipped:", report.Skipped);
    }

    /// <summary>The first 200 entries with file, line and reason, and how many more there are.</summary>
    private static void PrintList(Output.ConsoleOutput o, string heading, IReadOnlyList<LoadSkip> entries)
    {
        if (entries.Count == 0)
            return;
        o.Line(heading);
        foreach (var entry in entries.Take(200))
            o.Line($"  {entry.File}{(entry.Line is { } line ? ":" + line.ToString(CultureInfo.InvariantCulture) : "")}: {entry.Reason}");
        if (entries.Count > 200)
            o.Line($"  … and {entries.Count - 200} more");
    }

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool and lag behind).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
