using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Answering;

namespace NewsBot.Host.Commands;

internal static class ChatCommand
{
    private const int MaxTurns = 6;

    public static Command Create(CommandContext context, TextReader input)
    {
        var asOf = AskCommand.AsOfOption();
        var source = AskCommand.SourceOption();
        var author = AskCommand.AuthorOption();
        var command = new Command("chat", "Ask questions one after another; follow-ups use the earlier turns. Type 'exit' or press Ctrl-D to stop.") { asOf, source, author };
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            var assistant = services.GetRequiredService<NewsAssistant>();
            var asOfDate = CommandContext.EndOfDay(CommandContext.ParseDate(parseResult.GetValue(asOf), "--as-of"));
            var sources = parseResult.GetValue(source) is { Length: > 0 } s ? s : null;
            var authors = parseResult.GetValue(author) is { Length: > 0 } a ? a : null;
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken);
            await SourcesCommand.CheckAsync(services, sources, cancellationToken);
            var history = new List<ConversationTurn>();
            var output = context.Output;
            output.Line("Ask about the news articles. Type 'exit' to stop.");
            while (!cancellationToken.IsCancellationRequested)
            {
                output.Out.Write("> ");
                output.Out.Flush();
                var line = await input.ReadLineAsync(cancellationToken);
                if (line is null || line.Trim() is "exit" or "quit")
                    break;
                if (string.IsNullOrWhiteSpace(line))
                    continue;
                var answer = await assistant.AskAsync(new AskRequest(line) { AsOf = asOfDate, Sources = sources, Authors = authors, History = history.ToList() }, cancellationToken);
                AnswerPrinter.Print(output, answer, json: false);
                output.Line();
                history.Add(new ConversationTurn(line, answer.Text));
                if (history.Count > MaxTurns)
                    history.RemoveAt(0);
            }
            return CommandContext.Success;
        }, cancellationToken));
        return command;
    }
}
