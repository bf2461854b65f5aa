using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Core.Ingestion;
using NewsBot.Web;
using Spectre.Console;

namespace NewsBot.Host.Commands;

internal static class IngestCommand
{
    public static Command Create(CommandContext context)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.ZeroOrMore, Description = "Files or folders (recursive) of articles: .txt .md .html .json .jsonl .jsonl.gz .rss .atom .xml; or http(s) URLs of RSS/Atom feeds and article pages" };
        var feeds = new Option<bool>("--feeds") { Description = "Also poll every feed in Feeds:Urls once (what serve does every Feeds:PollInterval)." };
        var prune = new Option<bool>("--prune") { Description = "Remove indexed articles whose source files under these paths are gone." };
        var strict = new Option<bool>("--strict") { Description = "Exit with code 1 when any file or record was skipped." };
        var command = new Command("ingest", "Load articles, split them into passages, embed and index them. Unchanged articles are not rewritten.") { paths, prune, strict, feeds };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var all = parseResult.GetValue(paths) ?? [];
            var urls = all.Where(IsUrl).ToList();
            var inputs = all.Where(p => !IsUrl(p)).ToArray();
            if (parseResult.GetValue(feeds))
            {
                var configured = services.GetRequiredService<FeedsOptions>().FeedUrls;
                if (configured.Count == 0)
                    throw new UsageException("--feeds: Feeds:Urls is empty. List your feeds in appsettings.json (\"Feeds\": { \"Urls\": [ \"https://…/rss\" ] }) or as --Feeds:Urls:0=https://….");
                urls.AddRange(configured);
            }
            if (all.Length == 0 && urls.Count == 0)
                throw new UsageException("Name the files, folders or URLs to ingest, or pass --feeds to poll Feeds:Urls.");
            foreach (var path in inputs)
            {
                if (path.Contains("://", StringComparison.Ordinal))
                    throw new UsageException($"'{path}': only http and https URLs can be ingested.");
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new UsageException($"'{path}' is neither a file nor a folder.");
            }
            if (inputs.Length == 0)
                return await IngestUrlsAsync(context, services, urls, parseResult.GetValue(strict), cancellationToken);
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
            var failed = parseResult.GetValue(strict) && report.Skipped.Count > 0;
            if (urls.Count > 0)
                failed |= await IngestUrlsAsync(context, services, urls, parseResult.GetValue(strict), cancellationToken) != CommandContext.Success;
            return failed ? CommandContext.Failure : CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static bool IsUrl(string input) =>
        input.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Feeds and pages: fetched politely, each failure a skipped line with its URL, then the poll's summary.</summary>
    private static async Task<int> IngestUrlsAsync(CommandContext context, IServiceProvider services, IReadOnlyList<string> urls, bool strict, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<WebIngestor>().IngestAsync(urls, cancellationToken);
        var o = context.Output;
        o.Line(report.Summary);
        o.Line(string.Create(CultureInfo.InvariantCulture,
            $"added {report.Ingest.Added}, updated {report.Ingest.Updated}, unchanged {report.Ingest.Unchanged + report.UnchangedItems}, skipped {report.Skipped.Count}, passages {report.Ingest.Passages}"));
        PrintList(o, "warnings:", report.Ingest.Warnings);
        PrintList(o, "skipped:", report.Skipped);
        if (report.Ingest.Cancelled)
        {
            o.Fail("ingest cancelled (Ctrl-C); every written article is whole. Run the same command again to finish.");
            return CommandContext.Cancelled;
        }
        return (strict && report.Skipped.Count > 0) || (report.Failed > 0 && report.Failed == urls.Count) ? CommandContext.Failure : CommandContext.Success;
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
