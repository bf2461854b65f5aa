using Microsoft.Extensions.Options;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class MessageTests
{
    private const string DirectChannel = "1500000000000000001";

    [Fact]
    public async Task A_mention_is_answered_as_a_reply_citing_the_article()
    {
        await using var bot = await BotHarness.StartAsync();

        var id = await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> who said North Korea's internet was totally down?", mentionBot: true);
        var reply = (await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), "the reply")).Json;

        Assert.Equal(id, reply.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.Equal(0, reply.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var embed = reply.GetProperty("embeds")[0];
        Assert.Equal("who said North Korea's internet was totally down?", embed.GetProperty("title").GetString());
        Assert.Contains("Madory", embed.GetProperty("description").GetString());
        Assert.StartsWith("[1] Sony hack", embed.GetProperty("fields")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Twenty_mentions_from_one_user_get_one_answer_and_at_most_one_notice_while_another_user_is_answered()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:UserCooldownSeconds"] = "60");
        var first = await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> who said North Korea's internet was totally down?", mentionBot: true, authorId: "1400000000000000091");
        await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), "the first answer");
        for (var i = 0; i < 19; i++)
            await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> and again {i}?", mentionBot: true, authorId: "1400000000000000091");

        var other = await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> which networks carry North Korea's internet?", mentionBot: true, authorId: "1400000000000000092");
        var answer = await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)
            && r.Json.TryGetProperty("message_reference", out var reference) && reference.GetProperty("message_id").GetString() == other, "the other user's answer");

        Assert.Contains("Chinese networks", answer.Json.GetProperty("embeds")[0].GetProperty("description").GetString());
        var notices = bot.Discord.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)
            && r.Json.TryGetProperty("content", out var content) && content.GetString()!.StartsWith("Please wait", StringComparison.Ordinal)).ToList();
        Assert.True(notices.Count <= 1, $"{notices.Count} cooldown notices");
        Assert.Single(bot.Discord.Requests, r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal)
            && r.Json.TryGetProperty("message_reference", out var reference) && reference.GetProperty("message_id").GetString() == first);
    }

    [Fact]
    public async Task A_mention_written_only_in_the_text_is_noticed()
    {
        await using var bot = await BotHarness.StartAsync();

        var id = await bot.Discord.MessageAsync($"hey <@!{bot.Discord.BotUserId}>, which networks carry North Korea's internet?");
        var reply = (await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), "the reply")).Json;

        Assert.Equal(id, reply.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.Contains("Chinese networks", reply.GetProperty("embeds")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_direct_message_is_answered_as_a_reply()
    {
        await using var bot = await BotHarness.StartAsync();

        var id = await bot.Discord.MessageAsync("What did the New York Times report about China?", channelId: DirectChannel, guildId: null);
        var reply = (await bot.Discord.WaitForRequestAsync(r => r.Path == $"/channels/{DirectChannel}/messages", "the DM reply")).Json;

        Assert.Equal(id, reply.GetProperty("message_reference").GetProperty("message_id").GetString());
        Assert.Contains("New York Times", reply.GetProperty("embeds")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task Messages_from_bots_from_itself_and_without_a_mention_get_no_reply()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> who said the internet was down?", authorId: "1600000000000000001", authorIsBot: true, mentionBot: true);
        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> who said the internet was down?", authorId: bot.Discord.BotUserId, mentionBot: true);
        await bot.Discord.MessageAsync("who said the internet was down?");
        // Events are handled in order of arrival, so once this DM is answered the three above have been judged.
        await bot.Discord.MessageAsync("Who said North Korea's internet was totally down?", channelId: DirectChannel, guildId: null);
        await bot.Discord.WaitForRequestAsync(r => r.Path == $"/channels/{DirectChannel}/messages", "the DM reply");

        Assert.Single(bot.Discord.ChannelMessages());
    }

    [Fact]
    public async Task A_bare_mention_gets_a_hint_instead_of_an_answer()
    {
        await using var bot = await BotHarness.StartAsync();

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}>", mentionBot: true);
        var reply = (await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), "the hint")).Json;

        Assert.StartsWith("Ask me a question about the news", reply.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_follow_up_in_a_thread_started_from_an_answer_is_answered_with_the_earlier_turns()
    {
        var answerer = new RecordingAnswerer(new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())));
        await using var bot = await BotHarness.StartAsync(answerer: answerer);
        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> who said North Korea's internet was totally down?", mentionBot: true);
        var first = await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), "the first reply");
        // The bot notes the conversation once its reply is created; a person starts a thread only after seeing it.
        await bot.Logs.WaitForAsync("Answered a mention", FakeDiscordServer.DefaultTimeout);
        // The fake answered the create with the message; a thread started from it has its id.
        var threadId = bot.Discord.CreatedMessageId(first.Json.GetProperty("nonce").GetString()!);

        // Follow-ups in the thread need no mention.
        await bot.Discord.MessageAsync("When were the problems discovered?", channelId: threadId);
        var followUp = (await bot.Discord.WaitForRequestAsync(r => r.Path == $"/channels/{threadId}/messages", "the follow-up reply")).Json;

        Assert.Contains("[1]", followUp.GetProperty("embeds")[0].GetProperty("description").GetString());
        var history = answerer.Requests[^1].History;
        var turn = Assert.Single(history);
        Assert.Equal("who said North Korea's internet was totally down?", turn.Question);
        Assert.Contains("Madory", turn.Answer);
    }

    [Fact]
    public async Task A_failure_while_answering_a_mention_is_one_short_sentence()
    {
        var answerer = new RecordingAnswerer(new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())))
        {
            Failure = new NewsBot.Core.Indexing.IndexUnavailableException("connection refused to qdrant:6333"),
        };
        await using var bot = await BotHarness.StartAsync(answerer: answerer);

        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> who said the internet was down?", mentionBot: true);
        var reply = (await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path.EndsWith("/messages", StringComparison.Ordinal), "the reply")).Json;

        Assert.Equal("The news index is unavailable right now; please try again later.", reply.GetProperty("content").GetString());
    }
}
