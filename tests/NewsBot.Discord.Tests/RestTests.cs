using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Discord.Protocol.Rest;
using NewsBot.Discord.Protocol.Wire;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed partial class RestTests
{
    private const string Question = "Who said North Korea's internet was totally down?";

    [Fact]
    public async Task A_429_is_waited_out_for_retry_after_and_retried_without_losing_the_answer()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Discord.RateLimitNext("PATCH", "/webhooks/", retryAfterSeconds: 0.4);

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await bot.Discord.WaitForOriginalAsync(interaction);

        var edits = bot.Discord.Requests.Where(r => r.Method == "PATCH" && r.Path == interaction.OriginalPath(bot.Discord.ApplicationId)).ToList();
        Assert.Equal([429, 200], edits.Select(e => e.Status));
        Assert.True(edits[1].At - edits[0].At >= TimeSpan.FromSeconds(0.35), $"retried after {(edits[1].At - edits[0].At).TotalMilliseconds} ms");
        Assert.Equal(edits[0].Body, edits[1].Body);
    }

    [Fact]
    public async Task A_global_429_pauses_requests_and_the_reply_still_lands_once()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Discord.RateLimitNext("POST", "/channels/", retryAfterSeconds: 0.3, global: true);

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true);
        await bot.Discord.WaitForAsync(() => bot.Discord.ChannelMessages().Count == 1, "the reply");

        var attempts = bot.Discord.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/channels/", StringComparison.Ordinal)).ToList();
        Assert.Equal([429, 200], attempts.Select(a => a.Status));
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(0.25));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_nonce_keeps_the_message_single()
    {
        await using var bot = await BotHarness.StartAsync();
        bot.Discord.FailNext("POST", "/channels/", 502);

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true);
        await bot.Discord.WaitForAsync(() => bot.Discord.ChannelMessages().Count == 1, "the reply");

        var attempts = bot.Discord.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("/channels/", StringComparison.Ordinal)).ToList();
        Assert.Equal([502, 200], attempts.Select(a => a.Status));
        Assert.Equal(attempts[0].Json.GetProperty("nonce").GetString(), attempts[1].Json.GetProperty("nonce").GetString());
    }

    [Fact]
    public async Task Requests_carry_the_bot_user_agent_and_authorization_only_where_needed()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s.Remove("Discord:GatewayUrl"));
        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await bot.Discord.WaitForOriginalAsync(interaction);

        Assert.All(bot.Discord.Requests, r => Assert.Matches(UserAgentPattern(), r.UserAgent));
        Assert.All(bot.Discord.Requests.Where(r => !r.Path.StartsWith("/webhooks/", StringComparison.Ordinal) && !r.Path.StartsWith("/interactions/", StringComparison.Ordinal)),
            r => Assert.Equal("Bot " + FakeDiscordServer.ValidToken, r.Authorization));
        Assert.All(bot.Discord.Requests.Where(r => r.Path.StartsWith("/webhooks/", StringComparison.Ordinal) || r.Path.StartsWith("/interactions/", StringComparison.Ordinal)),
            r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task The_token_never_appears_in_logs_or_errors()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:UserCooldownSeconds"] = "0");
        bot.Discord.RateLimitNext("PATCH", "/webhooks/", retryAfterSeconds: 0.05);
        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await bot.Discord.WaitForOriginalAsync(interaction);

        // An edit with an unknown interaction token, against a fake of its own (it records the bad request).
        await using var other = await FakeDiscordServer.StartAsync();
        using var client = new DiscordRestClient(new DiscordOptions { Token = FakeDiscordServer.ValidToken, ApiBaseUrl = other.ApiBaseUrl }, TimeProvider.System, NullLogger<DiscordRestClient>.Instance);
        var error = await Assert.ThrowsAsync<DiscordRestException>(() => client.EditOriginalResponseAsync(other.ApplicationId, "c2VjcmV0LWludGVyYWN0aW9uLXRva2Vu", new MessageBody { Content = "x" }, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Contains("{interaction_token}", error.Message);
        Assert.DoesNotContain("c2VjcmV0LWludGVyYWN0aW9uLXRva2Vu", error.Message);
        Assert.DoesNotContain(bot.Logs.Lines, l => l.Contains(FakeDiscordServer.ValidToken, StringComparison.Ordinal) || l.Contains(interaction.Token, StringComparison.Ordinal));
        Assert.Contains(bot.Logs.Lines, l => l.Contains("rate-limited", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^DiscordBot \(https://github\.com/newsbot/newsbot, [0-9][0-9A-Za-z.\-]*\)$")]
    private static partial Regex UserAgentPattern();
}
