using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Host.Commands;
using NewsBot.Host.Composition;
using NewsBot.Host.Output;

namespace NewsBot.Host;

/// <summary>The <c>newsbot</c> command: parses arguments, runs a verb, and returns its exit code (0 ok, 1 failure, 2 usage or configuration, 130 cancelled by Ctrl-C).</summary>
internal static class NewsBotCommandLine
{
    public static async Task<int> RunAsync(string[] args, ConsoleOutput output, TextReader input, Action<IServiceCollection>? configureServices = null, CancellationToken cancellationToken = default)
    {
        string[] remaining;
        List<string> overrides;
        try
        {
            (remaining, overrides) = NewsBotConfiguration.ExtractOverrides(args);
        }
        catch (ConfigurationException ex)
        {
            output.Fail(ex.Message);
            return CommandContext.UsageError;
        }

        var context = new CommandContext(overrides, output, configureServices);
        var root = new RootCommand("NewsBot answers questions about a collection of news articles and cites the passages it stands on.\n" +
            "Settings: appsettings.json, NEWSBOT__Section__Key environment variables, or --Section:Key=value arguments.")
        {
            IngestCommand.Create(context),
            AskCommand.Create(context),
            SearchCommand.Create(context),
            ChatCommand.Create(context, input),
            StatsCommand.Create(context),
            SourcesCommand.Create(context),
            EvalCommand.Create(context),
            FeedbackCommand.Create(context),
            BenchCommand.Create(context),
            ServeCommand.Create(context),
        };
        root.Options.Add(CommandContext.IndexOption);

        var parseResult = root.Parse(remaining);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                output.Fail(error.Message);
            output.Error.WriteLine($"Run 'newsbot {parseResult.CommandResult.Command.Name switch { "newsbot" or "" => "", var name => name + " " }}--help' for usage.");
            return CommandContext.UsageError;
        }
        var invocation = new InvocationConfiguration { Output = output.Out, Error = output.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await parseResult.InvokeAsync(invocation, cancellationToken);
    }
}
