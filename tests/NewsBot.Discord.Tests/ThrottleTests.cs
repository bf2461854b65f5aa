using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Retrieval;
using NewsBot.Discord.Bot;
using NewsBot.Discord.Protocol.Gateway;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class ThrottleTests
{
    [Fact]
    public async Task Streamed_answers_are_shown_at_most_once_every_one_and_a_half_seconds()
    {
        var time = new ManualTimeProvider();
        var steps = Enumerable.Range(1, 12).Select(i => new string('x', i)).ToList();
        var answerer = new ScriptedAnswerer(r => Answer.Refusal(r.Question, []), steps, () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            return Task.CompletedTask;
        });
        var (assistant, _) = await SampleNews.CreateAsync(answerer);
        var shown = new List<(string Text, DateTimeOffset At)>();

        var answer = await new AnswerStreamer(assistant, time).AskAsync(new AskRequest("q"), text =>
        {
            shown.Add((text, time.GetUtcNow()));
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.True(answer.Refused);
        // Twelve steps half a second apart (5.5 s): shown at 1.5, 3.0 and 4.5 s, never at the start.
        Assert.Equal(3, shown.Count);
        Assert.All(shown.Zip(shown.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= EditThrottle.Interval));
    }

    [Fact]
    public void The_cooldown_lets_a_user_ask_again_once_it_has_passed()
    {
        var time = new ManualTimeProvider();
        using var guard = new AbuseGuard(Options.Create(new DiscordOptions { UserCooldownSeconds = 10 }), time);

        Assert.Null(guard.TryEnter("user", "guild", 10, cooldown: true, out var first));
        first!.Dispose();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.StartsWith("Please wait 6 s before asking again (you can ask at <t:", guard.TryEnter("user", "guild", 10, cooldown: true, out _));
        Assert.Null(guard.TryEnter("someone else", "guild", 10, cooldown: true, out var other));
        other!.Dispose();
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Null(guard.TryEnter("user", "guild", 10, cooldown: true, out var again));
        again!.Dispose();
    }

    [Fact]
    public void Within_one_cooldown_window_only_the_first_notice_is_given()
    {
        var time = new ManualTimeProvider();
        using var guard = new AbuseGuard(Options.Create(new DiscordOptions { UserCooldownSeconds = 10 }), time);
        Assert.Null(guard.TryEnter("user", "guild", 10, cooldown: true, out var first));
        first!.Dispose();

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(guard.InCooldown("user"));
        Assert.True(guard.FirstNoticeInWindow("user"));
        Assert.False(guard.FirstNoticeInWindow("user"));
        Assert.False(guard.InCooldown("someone else"));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(guard.InCooldown("user"));
        Assert.Null(guard.TryEnter("user", "guild", 10, cooldown: true, out var again));
        again!.Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(guard.FirstNoticeInWindow("user"));
    }

    [Fact]
    public void Look_ups_do_not_spend_the_cooldown()
    {
        using var guard = new AbuseGuard(Options.Create(new DiscordOptions { UserCooldownSeconds = 10 }), new ManualTimeProvider());

        Assert.Null(guard.TryEnter("user", "guild", 10, cooldown: false, out var lookup));
        lookup!.Dispose();
        Assert.Null(guard.TryEnter("user", "guild", 10, cooldown: true, out var ask));
        ask!.Dispose();
    }

    [Fact]
    public void The_per_server_limit_frees_a_slot_when_an_answer_finishes()
    {
        using var guard = new AbuseGuard(Options.Create(new DiscordOptions { UserCooldownSeconds = 0, MaxConcurrentAnswersPerGuild = 2 }), new ManualTimeProvider());

        Assert.Null(guard.TryEnter("a", "guild", 10, cooldown: true, out var a));
        Assert.Null(guard.TryEnter("b", "guild", 10, cooldown: true, out var b));
        Assert.Equal(UserMessages.Busy, guard.TryEnter("c", "guild", 10, cooldown: true, out _));
        Assert.Null(guard.TryEnter("c", "another guild", 10, cooldown: true, out var elsewhere));
        a!.Dispose();
        Assert.Null(guard.TryEnter("c", "guild", 10, cooldown: true, out var c));
        b!.Dispose();
        c!.Dispose();
        elsewhere!.Dispose();
    }

    [Fact]
    public async Task The_gateway_send_limiter_holds_a_burst_under_120_events_a_minute()
    {
        var time = new ManualTimeProvider();
        var limiter = new GatewaySendLimiter(time);
        for (var i = 0; i < GatewaySendLimiter.Capacity; i++)
            await limiter.WaitAsync(CancellationToken.None);

        var next = limiter.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await next.WaitAsync(FakeDiscordServer.DefaultTimeout);

        // Over any 60 s: the burst plus one per second stays under Discord's 120.
        Assert.True(GatewaySendLimiter.Capacity + (60 * GatewaySendLimiter.PerSecond) < 120);
    }
}
