using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Answering;
using NewsBot.Core.Evaluation;
using NewsBot.Core.Retrieval;
using NewsBot.Host.Output;

namespace NewsBot.Host.Commands;

/// <summary>
/// Measures search and ask latency over the current index with the questions of an evaluation file, after a warm-up
/// pass, and the process's peak memory. The figures in the README come from this command.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new Argument<string>("questions") { Description = "A .jsonl file of questions (the eval format)." };
        var runs = new Option<int>("--runs") { Description = "Timed passes over the questions (default 3).", DefaultValueFactory = _ => 3 };
        var json = AskCommand.JsonOption("Print one JSON object: questions, runs, search_p50_ms, search_p95_ms, ask_p50_ms, ask_p95_ms, peak_memory_mb.");
        var command = new Command("bench", "Measure search and ask latency (p50/p95) and peak memory over the current index.") { file, runs, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var path = parseResult.GetValue(file)!;
            if (!File.Exists(path))
                throw new UsageException($"The questions file '{path}' does not exist.");
            var questions = await EvalQuestionFile.ReadAsync(path, cancellationToken);
            if (questions.Count == 0)
                throw new UsageException($"'{path}' holds no questions.");
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken, warmUp: true);
            var assistant = services.GetRequiredService<NewsAssistant>();
            var searchTimes = new List<double>();
            var askTimes = new List<double>();
            for (var run = 0; run <= parseResult.GetValue(runs); run++)
            {
                foreach (var q in questions)
                {
                    var asOf = q.AsOf is { } a ? CommandContext.EndOfDay(CommandContext.ParseDate(a, "as_of")) : null;
                    var clock = Stopwatch.StartNew();
                    await assistant.SearchAsync(new RetrievalRequest(q.Question) { AsOf = asOf }, cancellationToken);
                    var search = clock.Elapsed.TotalMilliseconds;
                    clock.Restart();
                    await assistant.AskAsync(new AskRequest(q.Question) { AsOf = asOf }, cancellationToken);
                    var ask = clock.Elapsed.TotalMilliseconds;
                    if (run == 0)
                        continue; // warm-up: first touches load the index into memory
                    searchTimes.Add(search);
                    askTimes.Add(ask);
                }
            }
            searchTimes.Sort();
            askTimes.Sort();
            using var process = Process.GetCurrentProcess();
            var result = new BenchJson(questions.Count, parseResult.GetValue(runs), P(searchTimes, 0.5), P(searchTimes, 0.95), P(askTimes, 0.5), P(askTimes, 0.95),
                Math.Round(process.PeakWorkingSet64 / 1048576.0, 1));
            Print(context.Output, result, parseResult.GetValue(json));
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static double P(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)], 2);

    private static void Print(ConsoleOutput output, BenchJson result, bool json)
    {
        if (json)
        {
            output.Line(CliJsonContext.Serialize(result));
            return;
        }
        output.Line(string.Create(CultureInfo.InvariantCulture, $"questions {result.Questions} x {result.Runs} runs"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"search    p50 {result.SearchP50Ms} ms, p95 {result.SearchP95Ms} ms"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"ask       p50 {result.AskP50Ms} ms, p95 {result.AskP95Ms} ms"));
        output.Line(string.Create(CultureInfo.InvariantCulture, $"peak memory {result.PeakMemoryMb} MB"));
    }
}
