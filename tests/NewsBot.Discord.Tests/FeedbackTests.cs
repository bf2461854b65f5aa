using System.Text.Json;
using NewsBot.Core.Feedback;
using NewsBot.Discord.Bot;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class FeedbackTests
{
    private const string Question = "Who said North Korea's internet was totally down?";
    private const string OtherUser = "1300000000000000099";

    [Fact]
    public async Task Every_answer_and_every_refusal_carries_a_thumbs_up_and_a_thumbs_down_button()
    {
        await using var bot = await BotHarness.StartAsync();

        var answer = await AskAsync(bot, Question);
        var refusal = await AskAsync(bot, "Who won the world cup in 2010?");

        Assert.Equal(["👍", "👎"], VoteButtons(answer).Select(b => b.GetProperty("emoji").GetProperty("name").GetString()));
        Assert.Equal(2, VoteButtons(refusal).Count);
        Assert.All(VoteButtons(answer).Concat(VoteButtons(refusal)), b => Assert.InRange(b.GetProperty("custom_id").GetString()!.Length, 1, 100));
    }

    [Fact]
    public async Task A_thumbs_up_is_kept_with_the_question_the_answer_its_citations_and_the_date_and_thanked_privately()
    {
        await using var bot = await BotHarness.StartAsync();
        var answer = await AskAsync(bot, Question);

        var click = await bot.Discord.ButtonClickAsync(VoteId(answer, up: true));
        var callback = (await bot.Discord.WaitForCallbackAsync(click)).Json;

        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Equal(UserMessages.ThanksUp, callback.GetProperty("data").GetProperty("content").GetString());
        var vote = Assert.Single((await Store(bot).ListAsync(null, default)).Votes);
        Assert.Equal(FeedbackVote.Up, vote.Vote);
        Assert.Equal(FakeDiscordServer.DefaultUserId, vote.UserId);
        Assert.Equal(Question, vote.Question);
        Assert.Contains("[1]", vote.Answer, StringComparison.Ordinal);
        Assert.False(vote.Refused);
        Assert.NotEmpty(vote.Citations);
        Assert.All(vote.Citations, c => Assert.False(string.IsNullOrEmpty(c.ArticleId) || string.IsNullOrEmpty(c.Quote)));
        Assert.Equal(FakeDiscordServer.DefaultGuildId, vote.GuildId);
        Assert.Equal(FakeDiscordServer.DefaultChannelId, vote.ChannelId);
        Assert.InRange(vote.AnsweredAt, DateTimeOffset.UtcNow.AddMinutes(-5), vote.VotedAt);
    }

    [Fact]
    public async Task A_thumbs_down_opens_the_what_was_wrong_modal_and_its_text_is_kept_with_the_vote()
    {
        await using var bot = await BotHarness.StartAsync();
        var answer = await AskAsync(bot, Question);

        var click = await bot.Discord.ButtonClickAsync(VoteId(answer, up: false));
        await bot.Discord.WaitForCallbackAsync(click);

        Assert.Equal(9, bot.Discord.CallbackType(click));
        var modal = bot.Discord.Modal(click)!.Value;
        Assert.Equal("What was wrong?", modal.GetProperty("title").GetString());
        // The 👎 counts even if the reader closes the modal without writing anything.
        Assert.Equal(FeedbackVote.Down, Assert.Single((await Store(bot).ListAsync(null, default)).Votes).Vote);

        var input = modal.GetProperty("components")[0].GetProperty("component").GetProperty("custom_id").GetString()!;
        var submit = await bot.Discord.ModalSubmitAsync(modal.GetProperty("custom_id").GetString()!, new Dictionary<string, string> { [input] = "  It cited the wrong article.  " });
        var thanks = (await bot.Discord.WaitForCallbackAsync(submit)).Json;

        Assert.Equal(UserMessages.ThanksDown, thanks.GetProperty("data").GetProperty("content").GetString());
        Assert.Equal(64, thanks.GetProperty("data").GetProperty("flags").GetInt32());
        var vote = Assert.Single((await Store(bot).ListAsync(null, default)).Votes);
        Assert.Equal(FeedbackVote.Down, vote.Vote);
        Assert.Equal("It cited the wrong article.", vote.Comment);
    }

    [Fact]
    public async Task One_vote_per_reader_and_answer_that_the_reader_can_change()
    {
        await using var bot = await BotHarness.StartAsync();
        var answer = await AskAsync(bot, Question);

        foreach (var (up, user) in new[] { (true, FakeDiscordServer.DefaultUserId), (false, FakeDiscordServer.DefaultUserId), (true, FakeDiscordServer.DefaultUserId), (false, OtherUser) })
            await bot.Discord.WaitForCallbackAsync(await bot.Discord.ButtonClickAsync(VoteId(answer, up), userId: user));

        var votes = (await Store(bot).ListAsync(null, default)).Votes;
        Assert.Equal(2, votes.Count);
        Assert.Equal(FeedbackVote.Up, votes.Single(v => v.UserId == FakeDiscordServer.DefaultUserId).Vote);
        Assert.Equal(FeedbackVote.Down, votes.Single(v => v.UserId == OtherUser).Vote);
    }

    [Theory]
    [InlineData("vote:sideways:{key}")]
    [InlineData("vote:up:{key}:extra")]
    [InlineData("vote:up:../../etc")]
    [InlineData("vote:up:")]
    [InlineData("why:{key}")]
    [InlineData("something-else")]
    public async Task A_forged_custom_id_records_nothing_and_gets_one_private_sentence(string forged)
    {
        await using var bot = await BotHarness.StartAsync();
        var answer = await AskAsync(bot, Question);
        var key = VoteId(answer, up: true)["vote:up:".Length..];

        var click = await bot.Discord.ButtonClickAsync(forged.Replace("{key}", key, StringComparison.Ordinal));
        var callback = (await bot.Discord.WaitForCallbackAsync(click)).Json;

        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Empty((await Store(bot).ListAsync(null, default)).Votes);
    }

    [Fact]
    public async Task A_vote_on_an_answer_the_bot_no_longer_holds_says_so()
    {
        await using var bot = await BotHarness.StartAsync();

        var click = await bot.Discord.ButtonClickAsync("vote:up:abc123");
        var callback = (await bot.Discord.WaitForCallbackAsync(click)).Json;

        Assert.Equal(UserMessages.VoteGone, callback.GetProperty("data").GetProperty("content").GetString());
        Assert.Empty((await Store(bot).ListAsync(null, default)).Votes);
    }

    [Fact]
    public async Task A_feedback_store_that_cannot_be_written_is_said_plainly_and_the_bot_keeps_answering()
    {
        await using var bot = await BotHarness.StartAsync();
        Directory.CreateDirectory(bot.FeedbackPath);
        var answer = await AskAsync(bot, Question);

        var click = await bot.Discord.ButtonClickAsync(VoteId(answer, up: true));
        var callback = (await bot.Discord.WaitForCallbackAsync(click)).Json;

        Assert.Equal(UserMessages.VoteNotKept, callback.GetProperty("data").GetProperty("content").GetString());
        Assert.Contains(bot.Logs.Lines, l => l.Contains("could not be kept", StringComparison.Ordinal) && l.Contains("Feedback:Path", StringComparison.Ordinal));
        await AskAsync(bot, Question);
    }

    [Fact]
    public async Task The_post_sources_button_posts_in_the_answers_own_channel_whatever_its_custom_id_names()
    {
        await using var bot = await BotHarness.StartAsync();
        var answer = await AskAsync(bot, Question);
        var key = VoteId(answer, up: true)["vote:up:".Length..];

        var click = await bot.Discord.ButtonClickAsync($"sources:1400000000000000077:{key}");
        await bot.Discord.WaitForOriginalAsync(click, m => m.GetProperty("content").GetString()!.StartsWith("Posted", StringComparison.Ordinal));

        Assert.Empty(bot.Discord.ChannelMessages("1400000000000000077"));
        Assert.Single(bot.Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId));
    }

    private static JsonlFeedbackStore Store(BotHarness bot) => new(bot.FeedbackPath);

    private static async Task<JsonElement> AskAsync(BotHarness bot, string question)
    {
        var ask = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = question });
        return await bot.Discord.WaitForOriginalAsync(ask);
    }

    private static List<JsonElement> VoteButtons(JsonElement message) =>
        message.GetProperty("components").EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray())
            .Where(b => b.TryGetProperty("custom_id", out var id) && id.GetString()!.StartsWith("vote:", StringComparison.Ordinal)).ToList();

    private static string VoteId(JsonElement message, bool up) =>
        VoteButtons(message).Select(b => b.GetProperty("custom_id").GetString()!).Single(id => id.StartsWith(up ? "vote:up:" : "vote:down:", StringComparison.Ordinal));
}
