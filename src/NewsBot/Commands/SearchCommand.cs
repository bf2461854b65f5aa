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
        var author = AskCommand.AuthorOption();
        var from = new Option<string?>("--from") { Description = "Only articles published on or after this date (YYYY-MM-DD)." };
        var to = new Option<string?>("--to") { Description = "Only articles published on or before this date (YYYY-MM-DD)." };
        var json = AskCommand.JsonOption("Print one JSON object with results: rank, score (share of the query's words matched), similarity, matched, article_id, title, source, date, url, snippet, highlights, text.");
        var command = new Command("search", "Look up passages without answering: scores, titles, sources, dates.") { query, k, asOf, source, author, from, to, json };
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
                Authors = parseResult.GetValue(author) is { Length: > 0 } authors ? authors : null,
                From = CommandContext.ParseDate(parseResult.GetValue(from), "--from"),
                To = CommandContext.EndOfDay(CommandContext.ParseDate(parseResult.GetValue(to), "--to")),
            };
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken);
            await SourcesCommand.CheckAsync(services, request.Sources, cancellationToken);
            var results = await services.GetRequiredService<NewsAssistant>().FindAsync(request, cancellationToken);
            Print(context.Output, text, results, parseResult.GetValue(json));
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }

    private static void Print(ConsoleOutput output, string query, IReadOnlyList<SearchHit> results, bool json)
    {
        if (json)
        {
            output.Line(CliJsonContext.Serialize(new SearchJson(query, results.Select(h => new SearchResultJson(
                h.Passage.Number, Math.Round(h.Coverage, 4), Math.Round(h.Passage.Similarity, 4), h.MatchedTerms,
                h.Passage.Passage.ArticleId, h.Passage.Passage.Title, h.Passage.Passage.Source, Formatting.Date(h.Passage.Passage.Published),
                h.Passage.Passage.Url, h.Snippet, h.Highlights.Select(x => new[] { x.Start, x.Length }).ToList(), h.Passage.Passage.Text)).ToList())));
            return;
        }
        if (results.Count == 0)
        {
            output.Line($"No matches for \"{query}\".");
            return;
        }
        foreach (var h in results)
        {
            var p = h.Passage.Passage;
            var by = p.Authors.Count > 0 ? " by " + string.Join(", ", p.Authors) : "";
            var heading = $"[{h.Passage.Number}] {Formatting.Heading(p.Title, p.Source, p.Published)}{by}  ({Match(h)})";
            var where = $"    {p.Url ?? p.ArticleId}";
            if (output.Interactive)
            {
                output.Ansi.MarkupLine(Markup.Escape(heading));
                output.Ansi.MarkupLine("[grey]" + Markup.Escape(where) + "[/]");
                output.Ansi.MarkupLine("    " + SearchSnippets.Mark(h, "[bold yellow]", "[/]", Markup.Escape));
            }
            else
            {
                output.Line(heading);
                output.Line(where);
                output.Line("    " + h.Snippet);
            }
        }
    }

    /// <summary>What the score means, in words: the query's words the passage holds, and its similarity when none.</summary>
    private static string Match(SearchHit hit)
    {
        var total = hit.Coverage > 0 ? (int)Math.Round(hit.MatchedTerms.Count / hit.Coverage) : 0;
        return hit.MatchedTerms.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"matches {hit.MatchedTerms.Count} of {total} query words: {string.Join(", ", hit.MatchedTerms)}")
            : string.Create(CultureInfo.InvariantCulture, $"no query words; similar in meaning, {hit.Passage.Similarity:0.00}");
    }
}
