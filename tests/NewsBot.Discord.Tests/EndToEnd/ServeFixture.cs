using NewsBot.TestSupport;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests.EndToEnd;

/// <summary>
/// The sample articles ingested by the real <c>newsbot ingest</c> into an index file, and one <c>newsbot serve</c>
/// connected to a fake Discord, shared by the end-to-end tests of a class.
/// </summary>
public sealed class ServeFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private NewsbotProcess? _serve;

    public string IndexPath => _directory.File("samples.db");

    public string WorkingDirectory => _directory.Path;

    public FakeDiscordServer Discord { get; private set; } = null!;

    internal NewsbotProcess Serve => _serve ?? throw new InvalidOperationException("serve did not start");

    public async Task InitializeAsync()
    {
        await IngestSamplesAsync(WorkingDirectory, IndexPath);
        Discord = await FakeDiscordServer.StartAsync();
        Discord.HeartbeatIntervalMilliseconds = 400;
        _serve = NewsbotProcess.Start(WorkingDirectory, Environment(Discord), "serve", "--index", IndexPath);
        try
        {
            await Discord.WaitForSessionAsync(TimeSpan.FromSeconds(30));
            await Discord.WaitForAsync(() => Discord.RegisteredCommands is not null, "the slash commands");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\nserve stderr:\n{_serve.Error}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        var violations = Discord?.Violations ?? [];
        if (_serve is not null)
            await _serve.DisposeAsync();
        if (Discord is not null)
            await Discord.DisposeAsync();
        _directory.Dispose();
        // Every REST body serve sent is checked against Discord's OpenAPI document and limits.
        if (violations.Count > 0)
            throw new InvalidOperationException("newsbot serve broke Discord's contract:\n" + string.Join("\n", violations));
    }

    public static async Task IngestSamplesAsync(string workingDirectory, string indexPath)
    {
        var (code, _, error) = await NewsbotProcess.RunAsync(workingDirectory, new Dictionary<string, string>(), "ingest", RepositoryPaths.Samples, "--index", indexPath);
        if (code != 0)
            throw new InvalidOperationException($"newsbot ingest failed ({code}): {error}");
    }

    /// <summary>The settings that point <c>newsbot serve</c> at the fake, as environment variables a user would set.</summary>
    public static Dictionary<string, string> Environment(FakeDiscordServer discord, string? token = null) => new()
    {
        ["NEWSBOT__Discord__Token"] = token ?? discord.Token,
        ["NEWSBOT__Discord__ApiBaseUrl"] = discord.ApiBaseUrl,
        ["NEWSBOT__Discord__GatewayUrl"] = discord.GatewayUrl,
        ["NEWSBOT__Discord__GuildId"] = FakeDiscordServer.DefaultGuildId,
        ["NEWSBOT__Discord__UserCooldownSeconds"] = "0",
    };
}
