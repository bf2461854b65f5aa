using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Evaluation;
using NewsBot.Host.Output;
using Spectre.Console;

namespace NewsBot.Host.Commands;

internal static class EvalCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new Argument<string>("questions") { Description = "A .jsonl file of questions: question, answers, sources, evidence, answerable, as_of." };
        var k = new Option<int>("--k") { Description = "Passages handed to the answerer (default 5).", DefaultValueFactory = _ => 5 };
        var json = AskCommand.JsonOption("Print one JSON object: questions, recall_at_1, recall_at_5, recall_at_10, mrr_at_10, answer_accuracy, citation_precision, refusal_accuracy, false_refusal_rate, p50_ms, p95_ms.");
        var verbose = new Option<bool>("--verbose") { Description = "Also list every question with its outcome." };
        var command = new Command("eval", "Run evaluation questions and report retrieval recall, MRR, answer accuracy, citation precision, refusals and latency.") { file, k, json, verbose };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var path = parseResult.GetValue(file)!;
            if (!File.Exists(path))
                throw new UsageException($"The questions file '{path}' does not exist.");
            if (parseResult.GetValue(k) is < 1 or > 10)
                throw new UsageException("--k must be between 1 and 10.");
            var all = await EvalQuestionFile.ReadAsync(path, cancellationToken);
            var questions = all.Where(q => !q.Review).ToList();
            if (questions.Count < all.Count)
                context.Output.Note($"Skipped {all.Count - questions.Count} question(s) marked \"review\": true (from 👎 feedback); check their sources and remove the mark to include them.");
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken, warmUp: true);
            var runner = services.GetRequiredService<EvalRunner>();
            EvalReport report;
            if (context.Output.Interactive && !parseResult.GetValue(json))
            {
                report = null!;
                await context.Output.Ansi.Progress().StartAsync(async p =>
                {
                    var task = p.AddTask("Questions", maxValue: Math.Max(1, questions.Count));
                    report = await runner.RunAsync(questions, parseResult.GetValue(k), new Progress<int>(n => task.Value = n), cancellationToken);
                    task.Value = task.MaxValue;
                });
            }
            else
            {
                report = await runner.RunAsync(questions, parseResult.GetValue(k), null, cancellationToken);
            }
            Print(context.Output, report, parseResult.GetValue(json), parseResult.GetValue(verbose));
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static void Print(ConsoleOutput output, EvalReport report, bool json, bool verbose)
    {
        if (json)
        {
            output.Line(CliJsonContext.Serialize(report));
            return;
        }
        var rows = new (string Key, double Value)[]
        {
            ("questions", report.Questions), ("recall_at_1", report.RecallAt1), ("recall_at_5", report.RecallAt5),
            ("recall_at_10", report.RecallAt10), ("mrr_at_10", report.MrrAt10), ("answer_accuracy", report.AnswerAccuracy),
            ("citation_precision", report.CitationPrecision), ("refusal_accuracy", report.RefusalAccuracy),
            ("false_refusal_rate", report.FalseRefusalRate), ("p50_ms", report.P50Ms), ("p95_ms", report.P95Ms),
        };
        foreach (var (key, value) in rows)
            output.Line($"{key,-20}{value.ToString("0.####", CultureInfo.InvariantCulture)}");
        if (!verbose)
            return;
        output.Line();
        foreach (var o in report.Outcomes)
        {
            var verdict = o.Question.Answerable
                ? (o.Refused ? "REFUSED" : o.AnswerCorrect ? "ok" : "WRONG")
                : (o.Refused ? "ok (refused)" : "ANSWERED");
            output.Line($"{o.Question.Id ?? "-"}  hit@{(o.FirstHitRank?.ToString(CultureInfo.InvariantCulture) ?? "-")}  {verdict}  {Formatting.OneLine(o.Question.Question, 80)}");
            if (verdict is "WRONG" or "REFUSED" or "ANSWERED")
                output.Line($"    answer: {Formatting.OneLine(o.AnswerText, 200)}");
        }
    }
}
