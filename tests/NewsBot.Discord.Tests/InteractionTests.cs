using System.Text.Json;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class InteractionTests
{
    private const string Question = "Who said North Korea's internet was totally down?";

    [Fact]
    public async Task Ask_is_deferred_within_three_seconds_then_edited_with_an_embed_citing_the_sample_article()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        var answer = await bot.Discord.WaitForOriginalAsync(interaction);

        Assert.Equal(5, bot.Discord.CallbackType(interaction));
        Assert.True(bot.Discord.CallbackDelay(interaction) < TimeSpan.FromSeconds(3));
        var embed = answer.GetProperty("embeds")[0];
        Assert.Contains("Madory", embed.GetProperty("description").GetString());
        Assert.Contains("[1]", embed.GetProperty("description").GetString());
        var field = embed.GetProperty("fields")[0];
        Assert.StartsWith("[1] Sony hack: Internet in North Korea is 'totally down'", field.GetProperty("name").GetString());
        Assert.Contains("The Independent · 2014-12-22", field.GetProperty("name").GetString());
        Assert.Contains("https://www.independent.co.uk/", field.GetProperty("value").GetString());
        var edit = bot.Discord.Requests.Last(r => r.Method == "PATCH" && r.Path == interaction.OriginalPath(bot.Discord.ApplicationId));
        Assert.Equal(0, edit.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var buttons = answer.GetProperty("components")[0].GetProperty("components").EnumerateArray().ToList();
        Assert.Contains(buttons, b => b.GetProperty("style").GetInt32() == 5 && b.GetProperty("url").GetString()!.StartsWith("https://www.independent.co.uk/", StringComparison.Ordinal));
        Assert.Contains(buttons, b => b.TryGetProperty("custom_id", out var id) && id.GetString()!.StartsWith($"sources:{interaction.ChannelId}:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_private_ask_is_deferred_as_ephemeral()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question, ["private"] = true });
        await bot.Discord.WaitForOriginalAsync(interaction);

        var callback = bot.Discord.Requests.Single(r => r.Path == interaction.CallbackPath).Json;
        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
    }

    [Fact]
    public async Task A_question_the_articles_do_not_cover_gets_a_plain_refusal_without_sources()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Who won the world cup in 2010?" });
        var answer = await bot.Discord.WaitForOriginalAsync(interaction);

        var embed = answer.GetProperty("embeds")[0];
        Assert.StartsWith("The articles don't say", embed.GetProperty("description").GetString());
        Assert.False(embed.TryGetProperty("fields", out _));
    }

    [Fact]
    public async Task Lookup_lists_the_matching_article_with_source_date_and_link()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.SlashCommandAsync("lookup", new Dictionary<string, object> { ["query"] = "internet wired through Chinese networks", ["source"] = "Vice" });
        var result = await bot.Discord.WaitForOriginalAsync(interaction);

        var fields = result.GetProperty("embeds")[0].GetProperty("fields").EnumerateArray().ToList();
        var first = Assert.Single(fields);
        Assert.Contains("Vice · 2014-12-22", first.GetProperty("name").GetString());
        Assert.Contains("Chinese networks", first.GetProperty("value").GetString());
        Assert.Contains("https://www.vice.com/", first.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Lookup_with_a_date_range_that_excludes_every_article_says_nothing_matched()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.SlashCommandAsync("lookup", new Dictionary<string, object> { ["query"] = "North Korea internet", ["from"] = "2020-01-01" });
        var result = await bot.Discord.WaitForOriginalAsync(interaction, m => m.GetProperty("embeds").GetArrayLength() > 0);

        Assert.StartsWith("No matching articles", result.GetProperty("embeds")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task Lookup_with_a_bad_date_answers_with_one_ephemeral_sentence()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.SlashCommandAsync("lookup", new Dictionary<string, object> { ["query"] = "North Korea", ["to"] = "last tuesday" });
        var callback = (await bot.Discord.WaitForCallbackAsync(interaction)).Json;

        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Equal("'to' must be a date like 2014-12-22.", callback.GetProperty("data").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Source_autocomplete_offers_the_sources_in_the_index()
    {
        await using var bot = await BotHarness.StartAsync();

        var interaction = await bot.Discord.AutocompleteAsync("lookup", "source", "vi", new Dictionary<string, object> { ["query"] = "internet" });
        var callback = (await bot.Discord.WaitForCallbackAsync(interaction)).Json;

        Assert.Equal(8, callback.GetProperty("type").GetInt32());
        var choice = Assert.Single(callback.GetProperty("data").GetProperty("choices").EnumerateArray());
        Assert.Equal("Vice", choice.GetProperty("value").GetString());
    }

    [Fact]
    public async Task Sources_posts_the_citations_of_the_last_answer_in_the_channel_publicly()
    {
        await using var bot = await BotHarness.StartAsync();
        var ask = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await bot.Discord.WaitForOriginalAsync(ask);

        var sources = await bot.Discord.SlashCommandAsync("sources");
        var callback = (await bot.Discord.WaitForCallbackAsync(sources)).Json;

        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        var data = callback.GetProperty("data");
        Assert.False(data.TryGetProperty("flags", out _));
        var embed = data.GetProperty("embeds")[0];
        Assert.Equal("Sources: " + Question, embed.GetProperty("title").GetString());
        Assert.Contains("Doug Madory", embed.GetProperty("fields")[0].GetProperty("value").GetString());
        Assert.Equal(0, data.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public async Task Sources_without_an_earlier_answer_explains_in_one_ephemeral_sentence()
    {
        await using var bot = await BotHarness.StartAsync();

        var sources = await bot.Discord.SlashCommandAsync("sources");
        var callback = (await bot.Discord.WaitForCallbackAsync(sources)).Json;

        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("/ask", callback.GetProperty("data").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Sources_never_posts_a_private_answer()
    {
        await using var bot = await BotHarness.StartAsync();
        var ask = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question, ["private"] = true });
        await bot.Discord.WaitForOriginalAsync(ask);

        var sources = await bot.Discord.SlashCommandAsync("sources");
        var callback = (await bot.Discord.WaitForCallbackAsync(sources)).Json;

        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
    }

    [Fact]
    public async Task The_post_sources_button_posts_the_citations_in_the_channel()
    {
        await using var bot = await BotHarness.StartAsync();
        var ask = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question, ["private"] = true });
        var answer = await bot.Discord.WaitForOriginalAsync(ask);

        var click = await bot.Discord.ButtonClickAsync(SourcesButton(answer));
        await bot.Discord.WaitForOriginalAsync(click, m => m.GetProperty("content").GetString()!.StartsWith("Posted", StringComparison.Ordinal));

        var posted = Assert.Single(bot.Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId)).Json;
        Assert.Equal("Sources: " + Question, posted.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.Equal(0, posted.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.Equal(64, bot.Discord.Requests.Single(r => r.Path == click.CallbackPath).Json.GetProperty("data").GetProperty("flags").GetInt32());
    }

    [Fact]
    public async Task The_post_sources_button_posts_in_the_citations_channel_when_one_is_set()
    {
        const string citations = "1400000000000000001";
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:CitationsChannelId"] = citations);
        var ask = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        var answer = await bot.Discord.WaitForOriginalAsync(ask);

        var click = await bot.Discord.ButtonClickAsync(SourcesButton(answer));
        var confirmation = await bot.Discord.WaitForOriginalAsync(click, m => m.GetProperty("content").GetString()!.Length > 0);

        Assert.Single(bot.Discord.ChannelMessages(citations));
        Assert.Equal($"Posted the sources in <#{citations}>.", confirmation.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Help_and_stats_are_ephemeral()
    {
        await using var bot = await BotHarness.StartAsync();

        var help = await bot.Discord.SlashCommandAsync("help");
        var stats = await bot.Discord.SlashCommandAsync("stats");
        var helpCallback = (await bot.Discord.WaitForCallbackAsync(help)).Json;
        var statsResult = await bot.Discord.WaitForOriginalAsync(stats);

        Assert.Equal(64, helpCallback.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("/ask", helpCallback.GetProperty("data").GetProperty("embeds")[0].GetProperty("description").GetString());
        Assert.Equal(64, bot.Discord.Requests.Single(r => r.Path == stats.CallbackPath).Json.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("**Articles** 2", statsResult.GetProperty("embeds")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_second_question_within_the_cooldown_is_turned_away_politely()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:UserCooldownSeconds"] = "60");
        var first = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await bot.Discord.WaitForOriginalAsync(first);

        var second = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        var callback = (await bot.Discord.WaitForCallbackAsync(second)).Json;

        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.StartsWith("Please wait", callback.GetProperty("data").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_question_over_the_length_cap_is_turned_away()
    {
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:MaxQuestionLength"] = "20");

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        var callback = (await bot.Discord.WaitForCallbackAsync(interaction)).Json;

        Assert.Equal("Please keep questions under 20 characters.", callback.GetProperty("data").GetProperty("content").GetString());
        var ask = bot.Discord.RegisteredCommands!.Value.Commands.EnumerateArray().First(c => c.GetProperty("name").GetString() == "ask");
        Assert.Equal(20, ask.GetProperty("options")[0].GetProperty("max_length").GetInt32());
    }

    [Fact]
    public async Task A_question_beyond_the_servers_concurrency_is_acknowledged_at_once_and_answered_in_its_turn()
    {
        var answerer = new RecordingAnswerer(new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())));
        var release = new TaskCompletionSource();
        answerer.Gate = release.Task;
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:MaxConcurrentAnswersPerGuild"] = "1", answerer: answerer);

        var first = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await answerer.Entered.Task.WaitAsync(FakeDiscordServer.DefaultTimeout);
        var second = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question }, userId: "1300000000000000099");
        var deferred = (await bot.Discord.WaitForCallbackAsync(second)).Json;
        Assert.Single(answerer.Requests);
        release.SetResult();

        Assert.Equal(5, deferred.GetProperty("type").GetInt32());
        await bot.Discord.WaitForOriginalAsync(first);
        await bot.Discord.WaitForOriginalAsync(second);
        Assert.Equal(2, answerer.Requests.Count);
    }

    [Fact]
    public async Task A_full_queue_says_so_at_once_and_privately()
    {
        var answerer = new RecordingAnswerer(new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())));
        var release = new TaskCompletionSource();
        answerer.Gate = release.Task;
        await using var bot = await BotHarness.StartAsync(settings: s =>
        {
            s["Discord:MaxConcurrentAnswersPerGuild"] = "1";
            s["Discord:QueueLength"] = "1";
        }, answerer: answerer);

        var running = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        await answerer.Entered.Task.WaitAsync(FakeDiscordServer.DefaultTimeout);
        var waiting = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question }, userId: "1300000000000000098");
        await bot.Discord.WaitForCallbackAsync(waiting);
        var turnedAway = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question }, userId: "1300000000000000099");
        var callback = (await bot.Discord.WaitForCallbackAsync(turnedAway)).Json;
        release.SetResult();

        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        Assert.Equal(64, callback.GetProperty("data").GetProperty("flags").GetInt32() & 64);
        Assert.StartsWith("Too many questions are waiting", callback.GetProperty("data").GetProperty("content").GetString());
        await bot.Discord.WaitForOriginalAsync(running);
        await bot.Discord.WaitForOriginalAsync(waiting);
    }

    [Fact]
    public async Task Forty_questions_from_twenty_users_are_all_acknowledged_at_once_and_answered_first_questions_first()
    {
        var answerer = new RecordingAnswerer(new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())));
        var release = new TaskCompletionSource();
        answerer.Gate = release.Task;
        await using var bot = await BotHarness.StartAsync(answerer: answerer);
        var users = Enumerable.Range(0, 20).Select(i => $"13000000000000001{i:00}").ToList();

        // Each user asks twice in a row, as a crowd does when news breaks.
        var asked = new List<(string User, int Round, FakeInteraction Interaction)>();
        foreach (var user in users)
        {
            for (var round = 0; round < 2; round++)
                asked.Add((user, round, await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = $"{Question} (from {user})" }, userId: user)));
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (_, _, interaction) in asked)
            Assert.Equal(5, (await bot.Discord.WaitForCallbackAsync(interaction)).Json.GetProperty("type").GetInt32());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"acknowledging took {clock.Elapsed}");
        Assert.True(answerer.Requests.Count <= 3);

        release.SetResult();
        foreach (var (_, _, interaction) in asked)
            await bot.Discord.WaitForOriginalAsync(interaction);

        // Fair turns: of the questions that had to wait, every waiting user got one answered before anyone got a
        // second (give or take the three that run side by side and may reach the answerer in either order).
        var order = answerer.Requests.Select(r => r.Question[(r.Question.LastIndexOf(' ') + 1)..].TrimEnd(')')).ToList();
        Assert.Equal(40, order.Count);
        Assert.Equal(users.Order(StringComparer.Ordinal), order.Distinct().Order(StringComparer.Ordinal));
        var waited = order.Skip(3).ToList();
        var waitingUsers = waited.Distinct().Count();
        Assert.Equal(waitingUsers, waited.Take(waitingUsers + 3).Distinct().Count());
    }

    [Fact]
    public async Task A_failure_reaches_the_user_as_one_short_ephemeral_sentence()
    {
        var answerer = new RecordingAnswerer(new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())))
        {
            Failure = new InvalidOperationException("database on fire at NewsBot.Core.Something.Method()"),
        };
        await using var bot = await BotHarness.StartAsync(answerer: answerer);

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = Question });
        var followup = await bot.Discord.WaitForRequestAsync(r => r.Method == "POST" && r.Path == interaction.FollowupPath(bot.Discord.ApplicationId), "the failure followup");

        Assert.Contains(bot.Discord.Requests, r => r.Method == "DELETE" && r.Path == interaction.OriginalPath(bot.Discord.ApplicationId));
        Assert.Equal(64, followup.Json.GetProperty("flags").GetInt32());
        var sentence = followup.Json.GetProperty("content").GetString()!;
        Assert.Equal("Sorry, something went wrong while answering; please try again in a moment.", sentence);
    }

    private static string SourcesButton(JsonElement message) =>
        message.GetProperty("components")[0].GetProperty("components").EnumerateArray()
            .Single(b => b.TryGetProperty("custom_id", out _)).GetProperty("custom_id").GetString()!;
}
