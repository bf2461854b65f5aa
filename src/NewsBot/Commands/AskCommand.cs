using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Answering;

namespace NewsBot.Host.Commands;

internal static class AskCommand
{
    public static Option<string?> AsOfOption() => new("--as-of") { Description = "Answer as of this date (YYYY-MM-DD): later articles are left out, recent ones preferred. Default: now." };

    public static Option<string[]> SourceOption() => new("--source") { Description = "Only articles from this source (repeatable).", AllowMultipleArgumentsPerToken = false };

    public static Option<string[]> AuthorOption() => new("--author") { Description = "Only articles by this author, full name, any case (repeatable).", AllowMultipleArgumentsPerToken = false };

    public static Option<bool> JsonOption(string description) => new("--json") { Description = description };

    public static Command Create(CommandContext context)
    {
        var question = new Argument<string>("question") { Description = "The question, in quotes." };
        var asOf = AsOfOption();
        var source = SourceOption();
        var author = AuthorOption();
        var json = JsonOption("Print one JSON object: question, answer, refused, citations (n, article_id, title, source, date, url, quote, authors).");
        var command = new Command("ask", "Answer a question from the indexed articles, citing the passages it stands on.") { question, asOf, source, author, json };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var text = parseResult.GetValue(question);
            if (string.IsNullOrWhiteSpace(text))
                throw new UsageException("The question is empty. Usage: newsbot ask \"<question>\"");
            var request = new AskRequest(text)
            {
                AsOf = CommandContext.EndOfDay(CommandContext.ParseDate(parseResult.GetValue(asOf), "--as-of")),
                Sources = parseResult.GetValue(source) is { Length: > 0 } sources ? sources : null,
                Authors = parseResult.GetValue(author) is { Length: > 0 } authors ? authors : null,
            };
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken);
            await SourcesCommand.CheckAsync(services, request.Sources, cancellationToken);
            var answer = await services.GetRequiredService<NewsAssistant>().AskAsync(request, cancellationToken);
            AnswerPrinter.Print(context.Output, answer, parseResult.GetValue(json));
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }
}
