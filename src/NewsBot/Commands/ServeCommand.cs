using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Discord;
using NewsBot.Host.Composition;

namespace NewsBot.Host.Commands;

internal static class ServeCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("serve", "Run the Discord bot until Ctrl-C or SIGTERM: /ask, /lookup, /sources, /help, /stats, @mentions and DMs. " +
            "Needs Discord:Token (appsettings.json, NEWSBOT__Discord__Token or user secrets); see the README for the other Discord: settings.");
        command.SetAction((parseResult, cancellationToken) => context.RunAsync(parseResult, async services =>
        {
            // Polling feeds writes to the index, so it is opened for writing then (else read-only, as for ask).
            if (services.GetRequiredService<NewsBot.Web.FeedsOptions>().FeedUrls.Count > 0)
                await services.GetRequiredService<NewsBot.Core.Indexing.IPassageIndex>().InitializeAsync(services.GetRequiredService<NewsBot.Core.Indexing.EmbedderDescriptor>(), cancellationToken);
            await CommandContext.EnsureIndexReadyAsync(services, cancellationToken, warmUp: true);

            var runner = services.GetRequiredService<DiscordBotRunner>();
            context.Output.Error.WriteLine("Connecting to Discord; press Ctrl-C to stop.");
            // The bot stops on Ctrl-C and on SIGTERM (docker stop, systemd): it closes the gateway with 1000 and lets
            // replies in flight finish. The signals are taken here so the process waits for that instead of ending at once.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Stop(signal, stop));
            using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Stop(signal, stop));
            // Feeds (Feeds:Urls) are polled beside the bot; a poll never stops it.
            var polling = services.GetRequiredService<NewsBot.Web.FeedPoller>().RunAsync(stop.Token);
            var result = await runner.RunAsync(stop.Token);
            await stop.CancelAsync();
            await polling;
            if (result == DiscordBotRunner.Success)
                return CommandContext.Success;
            context.Output.Fail(runner.FailureMessage ?? "the Discord bot stopped.");
            return result == DiscordBotRunner.ConfigurationError ? CommandContext.UsageError : CommandContext.Failure;
        }, cancellationToken, withDiscord: true));
        return command;
    }

    private static void Stop(PosixSignalContext signal, CancellationTokenSource stop)
    {
        signal.Cancel = true;
        stop.Cancel();
    }
}
