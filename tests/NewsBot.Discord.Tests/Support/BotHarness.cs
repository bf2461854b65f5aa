using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Core.Answering;
using NewsBot.Core.Feedback;
using NewsBot.Discord.Protocol.Gateway;
using NewsBot.TestSupport;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests.Support;

/// <summary>
/// The real bot (<see cref="DiscordServiceCollectionExtensions.AddNewsBotDiscord"/> and <see cref="DiscordBotRunner"/>)
/// against the fake Discord, answering from the sample articles. Disposing stops the bot and checks it shut down cleanly.
/// </summary>
internal sealed class BotHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDirectory _files;
    private Task<int>? _run;

    private BotHarness(FakeDiscordServer discord, ServiceProvider services, CapturingLoggerProvider logs, InMemoryPassageIndex index, TempDirectory files)
    {
        _files = files;
        Discord = discord;
        Services = services;
        Logs = logs;
        Index = index;
        Runner = services.GetRequiredService<DiscordBotRunner>();
    }

    public FakeDiscordServer Discord { get; }

    public ServiceProvider Services { get; }

    public CapturingLoggerProvider Logs { get; }

    public InMemoryPassageIndex Index { get; }

    public DiscordBotRunner Runner { get; }

    /// <summary>Where the bot keeps 👍/👎 votes: a JSONL file in a temporary folder.</summary>
    public string FeedbackPath => _files.File("feedback.jsonl");

    public Task<int> Run => _run ?? throw new InvalidOperationException("Not started.");

    public static async Task<BotHarness> StartAsync(
        Action<Dictionary<string, string?>>? settings = null,
        IAnswerer? answerer = null,
        Action<FakeDiscordServer>? server = null,
        bool waitUntilReady = true,
        Action<IServiceCollection>? extraServices = null)
    {
        var discord = await FakeDiscordServer.StartAsync();
        server?.Invoke(discord);
        var values = discord.BotSettings();
        values["Discord:GuildId"] = FakeDiscordServer.DefaultGuildId;
        values["Discord:UserCooldownSeconds"] = "0";
        settings?.Invoke(values);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var (assistant, index) = await SampleNews.CreateAsync(answerer);
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(assistant);
        services.AddSingleton(new GatewayTimings
        {
            BackoffBase = TimeSpan.FromMilliseconds(50),
            BackoffMax = TimeSpan.FromMilliseconds(400),
            InvalidSessionDelayMin = TimeSpan.FromMilliseconds(10),
            InvalidSessionDelayMax = TimeSpan.FromMilliseconds(50),
            CloseTimeout = TimeSpan.FromSeconds(1),
        });
        var files = new TempDirectory();
        services.AddSingleton<IFeedbackStore>(new JsonlFeedbackStore(files.File("feedback.jsonl")));
        extraServices?.Invoke(services);
        services.AddNewsBotDiscord(configuration);

        var harness = new BotHarness(discord, services.BuildServiceProvider(), logs, index, files);
        harness._run = Task.Run(() => harness.Runner.RunAsync(harness._stop.Token));
        if (waitUntilReady)
        {
            await discord.WaitForSessionAsync();
            await discord.WaitForAsync(() => discord.RegisteredCommands is not null, "the slash commands to be registered");
        }
        return harness;
    }

    /// <summary>Waits for the runner to stop by itself (a fatal error) and returns its result.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null) => await Run.WaitAsync(timeout ?? FakeDiscordServer.DefaultTimeout);

    /// <summary>Cancels the bot as Ctrl-C would and returns its result.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run.WaitAsync(FakeDiscordServer.DefaultTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_run is { IsCompleted: false })
                await StopAsync();
            // Every REST body is checked against Discord's OpenAPI document and limits; any violation fails the test.
            if (Discord.Violations.Count > 0)
                Assert.Fail("The bot broke Discord's contract:\n" + string.Join("\n", Discord.Violations));
        }
        finally
        {
            _stop.Dispose();
            await Services.DisposeAsync();
            await Discord.DisposeAsync();
            _files.Dispose();
        }
    }
}
