using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class GatewayTests
{
    [Fact]
    public async Task Identifies_with_guilds_guild_messages_and_direct_messages_intents_and_registers_commands_by_bulk_overwrite()
    {
        await using var bot = await BotHarness.StartAsync();

        var identify = bot.Discord.Gateway.Single(r => r.Kind == "identify").Payload.GetProperty("d");
        Assert.Equal(FakeDiscordServer.ValidToken, identify.GetProperty("token").GetString());
        Assert.Equal(4609, identify.GetProperty("intents").GetInt32());
        var (path, commands) = bot.Discord.RegisteredCommands!.Value;
        Assert.Equal($"/applications/{bot.Discord.ApplicationId}/guilds/{FakeDiscordServer.DefaultGuildId}/commands", path);
        Assert.Equal(["ask", "lookup", "sources", "help", "stats"], commands.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Single(bot.Discord.Requests, r => r.Method == "PUT");
        Assert.Empty(bot.Discord.Violations);
    }

    [Fact]
    public async Task Registers_commands_globally_and_asks_for_the_gateway_url_when_neither_guild_nor_url_is_set()
    {
        await using var bot = await BotHarness.StartAsync(settings: s =>
        {
            s.Remove("Discord:GuildId");
            s.Remove("Discord:GatewayUrl");
        });

        Assert.Contains(bot.Discord.Requests, r => r.Method == "GET" && r.Path == "/gateway/bot");
        Assert.Equal($"/applications/{bot.Discord.ApplicationId}/commands", bot.Discord.RegisteredCommands!.Value.Path);
        Assert.Empty(bot.Discord.Violations);
    }

    [Fact]
    public async Task Asks_for_the_message_content_intent_only_when_configured()
    {
        await using var bot = await BotHarness.StartAsync(
            settings: s => s["Discord:MessageContent"] = "true",
            server: d => d.MessageContentAllowed = true);

        var identify = bot.Discord.Gateway.Single(r => r.Kind == "identify").Payload.GetProperty("d");
        Assert.Equal(37377, identify.GetProperty("intents").GetInt32());
    }

    [Fact]
    public async Task Heartbeats_are_sent_and_acknowledged()
    {
        await using var bot = await BotHarness.StartAsync(server: d => d.HeartbeatIntervalMilliseconds = 100);

        await bot.Discord.WaitForAsync(() => bot.Discord.Gateway.Count(r => r.Kind == "heartbeat") >= 3, "three heartbeats");
        Assert.Equal(1, bot.Discord.IdentifyCount);
        Assert.Equal(0, bot.Discord.ResumeCount);
    }

    [Fact]
    public async Task Op_7_reconnect_resumes_at_the_resume_url_and_answers_the_next_event()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.SendReconnectAsync();
        await bot.Discord.WaitForAsync(() => bot.Discord.ResumeCount == 1 && bot.Discord.HasLiveSession, "a resume");
        var interaction = await bot.Discord.SlashCommandAsync("help");

        Assert.Equal(4, (await bot.Discord.WaitForCallbackAsync(interaction)).Json.GetProperty("type").GetInt32());
        var connect = bot.Discord.Gateway.Last(r => r.Kind == "connect");
        Assert.Equal("/resume-gateway?v=10&encoding=json", connect.Detail);
        var resume = bot.Discord.Gateway.Single(r => r.Kind == "resume").Payload.GetProperty("d");
        Assert.Equal(1, resume.GetProperty("seq").GetInt64());
        Assert.Equal(1, bot.Discord.IdentifyCount);
        Assert.DoesNotContain(bot.Discord.Gateway, r => r.Kind == "close" && r.Detail is "1000" or "1001");
        Assert.Empty(bot.Discord.Violations);
    }

    [Fact]
    public async Task Events_sent_while_the_bot_was_away_are_replayed_on_resume_and_answered()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.SendReconnectAsync();
        var interaction = await bot.Discord.SlashCommandAsync("help");

        await bot.Discord.WaitForCallbackAsync(interaction);
        Assert.Equal(1, bot.Discord.ResumeCount);
    }

    [Fact]
    public async Task Withheld_heartbeat_acks_make_the_bot_close_with_a_non_1000_code_and_resume()
    {
        await using var bot = await BotHarness.StartAsync(server: d => d.HeartbeatIntervalMilliseconds = 150);

        bot.Discord.WithholdHeartbeatAcks();
        await bot.Discord.WaitForAsync(() => bot.Discord.ResumeCount == 1 && bot.Discord.HasLiveSession, "a resume after the zombie connection");
        var interaction = await bot.Discord.SlashCommandAsync("help");

        await bot.Discord.WaitForCallbackAsync(interaction);
        var close = bot.Discord.Gateway.First(r => r.Kind is "close" or "dropped");
        Assert.NotEqual("1000", close.Detail);
        Assert.NotEqual("1001", close.Detail);
        Assert.Equal(1, bot.Discord.IdentifyCount);
    }

    [Fact]
    public async Task Invalid_session_that_cannot_be_resumed_leads_to_a_fresh_identify()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.SendInvalidSessionAsync(resumable: false);
        await bot.Discord.WaitForAsync(() => bot.Discord.IdentifyCount == 2 && bot.Discord.HasLiveSession, "a second identify");

        Assert.Equal(0, bot.Discord.ResumeCount);
        Assert.Equal(1, bot.Discord.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Invalid_session_that_may_be_resumed_leads_to_a_resume()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.SendInvalidSessionAsync(resumable: true);
        await bot.Discord.WaitForAsync(() => bot.Discord.ResumeCount == 1 && bot.Discord.HasLiveSession, "a resume");

        Assert.Equal(1, bot.Discord.IdentifyCount);
    }

    [Fact]
    public async Task A_resumable_close_code_leads_to_a_resume()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.CloseGatewayAsync(4000, "Unknown error");
        await bot.Discord.WaitForAsync(() => bot.Discord.ResumeCount == 1 && bot.Discord.HasLiveSession, "a resume");

        Assert.Equal(1, bot.Discord.IdentifyCount);
    }

    [Fact]
    public async Task Close_4004_stops_the_bot_with_a_non_zero_result_that_says_to_check_the_token()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:Token"] = "MTEwMDAwMDAwMDAwMDAwMDAwMg.GfAkeX.d3JvbmctdG9rZW4", waitUntilReady: false);

        var result = await bot.WaitForExitAsync();

        Assert.NotEqual(0, result);
        Assert.Contains("4004", bot.Runner.FailureMessage);
        Assert.Contains("Discord:Token", bot.Runner.FailureMessage);
        Assert.DoesNotContain("d3JvbmctdG9rZW4", bot.Runner.FailureMessage);
        Assert.Equal(1, bot.Discord.IdentifyCount);
    }

    [Fact]
    public async Task Close_4014_stops_the_bot_and_says_to_enable_the_message_content_intent()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:MessageContent"] = "true", waitUntilReady: false);

        var result = await bot.WaitForExitAsync();

        Assert.NotEqual(0, result);
        Assert.Contains("Message Content intent", bot.Runner.FailureMessage);
        Assert.Contains("Discord:MessageContent", bot.Runner.FailureMessage);
    }

    [Fact]
    public async Task A_rejected_token_on_get_gateway_bot_stops_the_bot()
    {
        await using var bot = await BotHarness.StartAsync(
            settings: s =>
            {
                s.Remove("Discord:GatewayUrl");
                s["Discord:Token"] = "MTEwMDAwMDAwMDAwMDAwMDAwMg.GfAkeX.d3JvbmctdG9rZW4";
            },
            waitUntilReady: false);

        var result = await bot.WaitForExitAsync();

        Assert.Equal(1, result);
        Assert.Contains("Discord:Token", bot.Runner.FailureMessage);
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains("d3JvbmctdG9rZW4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_closes_with_1000_and_returns_zero()
    {
        await using var bot = await BotHarness.StartAsync();

        var result = await bot.StopAsync();

        Assert.Equal(0, result);
        await bot.Discord.WaitForAsync(() => bot.Discord.Gateway.Any(r => r.Kind == "close"), "the bot's close frame");
        Assert.Equal("1000", bot.Discord.Gateway.Last(r => r.Kind == "close").Detail);
    }

    [Fact]
    public void Resume_urls_get_the_version_and_encoding_query()
    {
        Assert.Equal("wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json", Protocol.Gateway.GatewayClient.WithQuery(new Uri("wss://gateway-us-east1-b.discord.gg")).ToString());
        Assert.Equal("ws://127.0.0.1:5/resume?v=10&encoding=json", Protocol.Gateway.GatewayClient.WithQuery(new Uri("ws://127.0.0.1:5/resume")).ToString());
    }
}
