using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Answering;
using NewsBot.Core.Retrieval;
using NewsBot.Host.Output;
using Spectre.Console;

namespace NewsBot.Host.Commands;

internal static class SearchCommand
{
    public static Command Create(CommandContext context)
    {
        var query = new Argument<string>("query") { Description = "What to look for, in quotes." };
        var k = new Option<int?>("--k") { Description = "How many passages to show (default Retrieval:TopK)." };
        var asOf = AskCommand.AsOfOption();
        var source = AskCommand.SourceOption();
        var from = new Option<string?>("--from") { Description = "Only articles published on or after this date (YYYY-MM-DD)." };
        var to = new Option<string?>("--to") { Description = "Only articles published on or before this date (YYYY-MM-DD)." };
        var json = AskCommand.JsonOption("Print one JSON object with results: rank, score, article_id, title, source, date, url, text.");
        var command = new Command("search", "Look up passages without answering: scores, titles, sources, dates.") { query, k, asOf, source, from, to, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var text = parseResult.GetValue(query);
            if (string.IsNullOrWhiteSpace(text))
                throw new UsageException("The query is empty. Usage: newsbot search \"<query>\"");
            if (parseResult.GetValue(k) is < 1 or > 100)
                throw new UsageException("--k must be between 1 and 100.");
            var request = new RetrievalRequest(text)
            {
                K = parseResult.GetValue(k),
                AsOf = CommandContext.EndOfDay(CommandContext.ParseDate(parseResult.GetValue(asOf), "--as-of")),
                Sources = parseResult.GetValue(source) is { Length: > 0 } sources ? sources : null,
                From = CommandContext.ParseDate(parseResult.GetValue(from), "--from"),
                To = CommandContext.EndOfDay(CommandContext.ParseDate(parseResult.GetValue(to), "--to")),
            };
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken);
            await SourcesCommand.CheckAsync(services, request.Sources, cancellationToken);
            var results = await services.GetRequiredService<NewsAssistant>().SearchAsync(request, cancellationToken);
            Print(context.Output, text, results, parseResult.GetValue(json));
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static void Print(ConsoleOutput output, string query, IReadOnlyList<RetrievedPassage> results, bool json)
    {
        if (json)
        {
            output.Line(CliJsonContext.Serialize(new SearchJson(query, results.Select(r => new SearchResultJson(
                r.Number, Math.Round(r.Score, 6), r.Passage.ArticleId, r.Passage.Title, r.Passage.Source, Formatting.Date(r.Passage.Published), r.Passage.Url, r.Passage.Text)).ToList())));
            return;
        }
        if (results.Count == 0)
        {
            output.Line("No passages match.");
            return;
        }
        if (output.Interactive)
        {
            var table = new Table().AddColumns("#", "score", "article", "passage");
            foreach (var r in results)
            {
                table.AddRow(
                    new Text(r.Number.ToString(CultureInfo.InvariantCulture)),
                    new Text(r.Score.ToString("0.0000", CultureInfo.InvariantCulture)),
                    new Text(Formatting.Heading(r.Passage.Title, r.Passage.Source, r.Passage.Published) + "\n" + (r.Passage.Url ?? r.Passage.ArticleId)),
                    new Text(Formatting.OneLine(r.Passage.Text, 300)));
            }
            output.Ansi.Write(table);
            return;
        }
        foreach (var r in results)
        {
            output.Line($"[{r.Number}] {r.Score.ToString("0.0000", CultureInfo.InvariantCulture)}  {Formatting.Heading(r.Passage.Title, r.Passage.Source, r.Passage.Published)}");
            output.Line($"    {r.Passage.Url ?? r.Passage.ArticleId}");
            output.Line($"    {Formatting.OneLine(r.Passage.Text, 300)}");
        }
    }
}
