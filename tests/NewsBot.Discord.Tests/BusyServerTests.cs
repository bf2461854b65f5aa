using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Bot;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

/// <summary>Threads on answers, notices that give way to answers, and the counters line of a busy server.</summary>
public sealed class BusyServerTests
{
    private const string Question = "who said North Korea's internet was totally down?";
    private const string Asker = "1400000000000000091";
    private const string Other = "1400000000000000092";

    [Fact]
    public async Task With_answer_in_thread_an_answer_to_a_mention_opens_a_thread_whose_follow_ups_are_answered()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:AnswerInThread"] = "true");

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true);
        var start = await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/threads", StringComparison.Ordinal), "the thread");
        var reply = bot.Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId).Single();
        var replyId = bot.Discord.CreatedMessageId(reply.Json.GetProperty("nonce").GetString()!);

        Assert.Equal(201, start.Status);
        Assert.Equal($"/channels/{FakeDiscordServer.DefaultChannelId}/messages/{replyId}/threads", start.Path);
        Assert.Equal(Question, start.Json.GetProperty("name").GetString());
        var thread = Assert.Single(bot.Discord.Threads);
        Assert.Equal(replyId, thread.Key);

        await bot.Discord.MessageAsync("When were the problems discovered?", channelId: replyId);
        var followUp = (await bot.Discord.WaitForRequestAsync(r => r.Path == $"/channels/{replyId}/messages", "the follow-up in the thread")).Json;
        Assert.Contains("[1]", followUp.GetProperty("embeds")[0].GetProperty("description").GetString());
        // A follow-up in the thread does not open another thread.
        Assert.Single(bot.Discord.Requests, r => r.Path.EndsWith("/threads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_question_makes_a_thread_name_within_discords_100_characters_and_a_dm_gets_no_thread()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:AnswerInThread"] = "true");

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}\n" + string.Join(' ', Enumerable.Repeat("and what about the networks", 12)), mentionBot: true);
        var start = await bot.Discord.WaitForRequestAsync(r => r.Path.EndsWith("/threads", StringComparison.Ordinal), "the thread");
        await bot.Discord.MessageAsync(Question, channelId: "1500000000000000001", guildId: null, authorId: Other);
        await bot.Discord.WaitForAsync(() => bot.Discord.ChannelMessages("1500000000000000001").Count == 1, "the DM answer");
        await bot.Logs.WaitForAsync("Answered a DM", FakeDiscordServer.DefaultTimeout);

        var name = start.Json.GetProperty("name").GetString()!;
        Assert.InRange(name.Length, 1, 100);
        Assert.DoesNotContain('\n', name);
        Assert.EndsWith("…", name, StringComparison.Ordinal);
        Assert.Single(bot.Discord.Requests, r => r.Path.EndsWith("/threads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_thread_that_cannot_be_opened_leaves_the_answer_and_logs_what_to_fix()
    {
        await using var bot = await BotHarness.StartAsync(
            settings: s => s["Discord:AnswerInThread"] = "true",
            server: d => d.FailNext("POST", $"/channels/{FakeDiscordServer.DefaultChannelId}/messages/", status: 403));

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true);
        await bot.Logs.WaitForAsync("Could not open a thread", FakeDiscordServer.DefaultTimeout);

        var reply = Assert.Single(bot.Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId));
        Assert.Contains("Madory", reply.Json.GetProperty("embeds")[0].GetProperty("description").GetString());
        Assert.Contains(bot.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Create Public Threads", StringComparison.Ordinal));
        Assert.Empty(bot.Discord.Threads);
    }

    [Fact]
    public async Task Without_answer_in_thread_no_thread_is_opened()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true);
        await bot.Logs.WaitForAsync("Answered a mention", FakeDiscordServer.DefaultTimeout);

        Assert.DoesNotContain(bot.Discord.Requests, r => r.Path.EndsWith("/threads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cooldown_notice_is_dropped_rather_than_queued_behind_a_rate_limited_answer()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:UserCooldownSeconds"] = "60");
        var messages = $"/channels/{FakeDiscordServer.DefaultChannelId}/messages";
        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true, authorId: Asker);
        await bot.Logs.WaitForAsync("Answered a mention", FakeDiscordServer.DefaultTimeout);

        // The next create on the channel meets a 429: the channel's bucket is empty for 3 s.
        bot.Discord.RateLimitNext("POST", messages, retryAfterSeconds: 3);
        var other = await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> which networks carry North Korea's internet?", mentionBot: true, authorId: Other);
        await bot.Discord.WaitForRequestAsync(r => r.Path == messages && r.Status == 429, "the rate-limited answer");
        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> and again?", mentionBot: true, authorId: Asker);
        await bot.Logs.WaitForAsync("Dropped a notice", FakeDiscordServer.DefaultTimeout);

        var answer = await bot.Discord.WaitForRequestAsync(r => r.Path == messages && r.Status == 200
            && r.Json.TryGetProperty("message_reference", out var reference) && reference.GetProperty("message_id").GetString() == other, "the other user's answer");
        Assert.Contains("Chinese networks", answer.Json.GetProperty("embeds")[0].GetProperty("description").GetString());
        Assert.DoesNotContain(bot.Discord.Requests, r => r.Path == messages && r.Json.TryGetProperty("content", out var c) && c.GetString()!.StartsWith("Please wait", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cooldown_notice_is_sent_when_the_channel_is_not_congested()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:UserCooldownSeconds"] = "60");
        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {Question}", mentionBot: true, authorId: Asker);
        await bot.Logs.WaitForAsync("Answered a mention", FakeDiscordServer.DefaultTimeout);

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> and again?", mentionBot: true, authorId: Asker);

        var notice = await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Json.TryGetProperty("content", out var c) && c.GetString()!.StartsWith("Please wait", StringComparison.Ordinal), "the cooldown notice");
        Assert.Equal(200, notice.Status);
    }

    [Fact]
    public async Task The_counters_line_adds_up_what_the_bot_did_in_the_minute()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:UserCooldownSeconds"] = "60");
        var counters = bot.Services.GetRequiredService<BotCounters>();
        counters.Report();

        var answered = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question }, userId: Asker);
        await bot.Discord.WaitForOriginalAsync(answered);
        var turnedAway = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "and again?" }, userId: Asker);
        await bot.Discord.WaitForCallbackAsync(turnedAway);
        var refused = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Who won the world cup in 2010?" }, userId: Other);
        var refusal = await bot.Discord.WaitForOriginalAsync(refused);
        var vote = refusal.GetProperty("components")[0].GetProperty("components")[0].GetProperty("custom_id").GetString()!;
        await bot.Discord.WaitForCallbackAsync(await bot.Discord.ButtonClickAsync(vote, userId: Other));
        counters.Report();

        var line = bot.Logs.Lines.Last(l => l.Contains("Last minute:", StringComparison.Ordinal));
        Assert.Contains("Last minute: 3 questions, 1 answered, 1 refused, 0 queued, 1 turned away, 1 feedback votes, answer p50 ", line, StringComparison.Ordinal);
        Assert.Matches(@"p50 \d+\.\d s p95 \d+\.\d s", line);
    }

    [Fact]
    public void The_counters_line_is_logged_every_minute_on_the_time_provider_and_starts_again_from_zero()
    {
        var time = new ManualTimeProvider();
        using var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var counters = new BotCounters(time, factory.CreateLogger<BotCounters>());
        counters.Question();
        counters.Question();
        counters.Queued();
        counters.Answered(refused: false, TimeSpan.FromSeconds(1.5));
        counters.Answered(refused: false, TimeSpan.FromSeconds(4));

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Last minute", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromMinutes(1));

        var lines = logs.Lines.Where(l => l.Contains("Last minute", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("2 questions, 2 answered, 0 refused, 1 queued, 0 turned away, 0 feedback votes, answer p50 1.5 s p95 4.0 s", lines[0], StringComparison.Ordinal);
        Assert.Contains("0 questions, 0 answered, 0 refused, 0 queued, 0 turned away, 0 feedback votes, answer p50 - p95 -", lines[1], StringComparison.Ordinal);
    }
}
