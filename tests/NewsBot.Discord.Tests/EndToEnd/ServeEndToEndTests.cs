using System.Text.Json;
using NewsBot.TestSupport;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests.EndToEnd;

/// <summary><c>newsbot serve</c> as built, over the sample articles, against the fake Discord.</summary>
public sealed class ServeEndToEndTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private const string IndependentTitle = "Sony hack: Internet in North Korea is 'totally down' - but US makes no comment";
    private const string DirectChannel = "1500000000000000009";

    private FakeDiscordServer Discord => fixture.Discord;

    [Fact]
    public async Task Ask_is_deferred_and_answered_with_an_embed_citing_the_sample_article()
    {
        var interaction = await Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Who said North Korea's internet was totally down?" });
        var answer = await Discord.WaitForOriginalAsync(interaction);

        Assert.Equal(5, Discord.CallbackType(interaction));
        Assert.True(Discord.CallbackDelay(interaction) < TimeSpan.FromSeconds(3));
        var embed = answer.GetProperty("embeds")[0];
        Assert.Contains("Madory", embed.GetProperty("description").GetString());
        Assert.Equal("[1] " + IndependentTitle, embed.GetProperty("fields")[0].GetProperty("name").GetString());
        var edit = Discord.Requests.Last(r => r.Method == "PATCH" && r.Path == interaction.OriginalPath(Discord.ApplicationId));
        Assert.Equal(0, edit.Json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.Empty(Discord.Violations);
    }

    [Fact]
    public async Task Lookup_lists_the_article_about_chinese_networks()
    {
        var interaction = await Discord.SlashCommandAsync("lookup", new Dictionary<string, object> { ["query"] = "internet wired through Chinese networks" });
        var result = await Discord.WaitForOriginalAsync(interaction);

        var first = result.GetProperty("embeds")[0].GetProperty("fields")[0];
        Assert.Contains("Chinese networks", first.GetProperty("value").GetString());
        Assert.Empty(Discord.Violations);
    }

    [Fact]
    public async Task Sources_and_the_post_sources_button_post_the_citations_publicly()
    {
        var ask = await Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Through which country's networks is North Korea's internet wired?", ["private"] = true });
        var answer = await Discord.WaitForOriginalAsync(ask);
        var button = answer.GetProperty("components")[0].GetProperty("components").EnumerateArray().Single(b => b.TryGetProperty("custom_id", out _)).GetProperty("custom_id").GetString()!;
        var channelPosts = Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId).Count;

        var click = await Discord.ButtonClickAsync(button);
        await Discord.WaitForAsync(() => Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId).Count == channelPosts + 1, "the posted sources");
        var posted = Discord.ChannelMessages(FakeDiscordServer.DefaultChannelId)[^1].Json.GetProperty("embeds")[0];
        var publicAsk = await Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Through which country's networks is North Korea's internet wired?" });
        await Discord.WaitForOriginalAsync(publicAsk);
        var sources = await Discord.SlashCommandAsync("sources");
        var callback = (await Discord.WaitForCallbackAsync(sources)).Json;

        Assert.Contains("Chinese networks", posted.GetProperty("fields")[0].GetProperty("value").GetString());
        Assert.Equal(4, callback.GetProperty("type").GetInt32());
        Assert.False(callback.GetProperty("data").TryGetProperty("flags", out _));
        Assert.Contains("Chinese networks", callback.GetProperty("data").GetProperty("embeds")[0].GetProperty("fields")[0].GetProperty("value").GetString());
        Assert.NotNull(Discord.CallbackType(click));
        Assert.Empty(Discord.Violations);
    }

    [Fact]
    public async Task Votes_given_in_discord_are_listed_by_newsbot_feedback_exported_and_run_by_newsbot_eval()
    {
        var up = await Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Who is Doug Madory?" });
        var upKey = VoteKey(await Discord.WaitForOriginalAsync(up));
        var down = await Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "What did the FBI blame on North Korea?" });
        var downKey = VoteKey(await Discord.WaitForOriginalAsync(down));

        await Discord.WaitForCallbackAsync(await Discord.ButtonClickAsync("vote:up:" + upKey, userId: "1600000000000000011"));
        var thumbsDown = await Discord.ButtonClickAsync("vote:down:" + downKey, userId: "1600000000000000012");
        await Discord.WaitForCallbackAsync(thumbsDown);
        var submit = await Discord.ModalSubmitAsync("why:" + downKey, new Dictionary<string, string> { ["why"] = "It missed the FBI statement." }, userId: "1600000000000000012");
        await Discord.WaitForCallbackAsync(submit);
        Assert.Equal(9, Discord.CallbackType(thumbsDown));

        // Read while serve is still running and holds the same index file.
        var noEnv = new Dictionary<string, string>();
        var (listCode, listed, listError) = await NewsbotProcess.RunAsync(fixture.WorkingDirectory, noEnv, "feedback", "--json", "--index", fixture.IndexPath);
        Assert.True(listCode == 0, listError);
        using var list = JsonDocument.Parse(listed);
        var votes = list.RootElement.GetProperty("votes").EnumerateArray().ToList();
        var upVote = votes.Single(v => v.GetProperty("answer_id").GetString() == upKey);
        var downVote = votes.Single(v => v.GetProperty("answer_id").GetString() == downKey);
        Assert.Equal("up", upVote.GetProperty("vote").GetString());
        Assert.Equal("Who is Doug Madory?", upVote.GetProperty("question").GetString());
        Assert.NotEmpty(upVote.GetProperty("citations").EnumerateArray());
        Assert.Equal(fixture.IndexPath, upVote.GetProperty("index").GetString());
        Assert.Equal("down", downVote.GetProperty("vote").GetString());
        Assert.Equal("It missed the FBI statement.", downVote.GetProperty("comment").GetString());

        var file = Path.Combine(fixture.WorkingDirectory, "server-questions.jsonl");
        var (exportCode, exported, exportError) = await NewsbotProcess.RunAsync(fixture.WorkingDirectory, noEnv, "feedback", "export", file, "--index", fixture.IndexPath);
        Assert.True(exportCode == 0, exportError);
        Assert.Contains("Run them: newsbot eval", exported, StringComparison.Ordinal);
        var lines = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var regression = lines.Single(l => l.GetProperty("id").GetString() == "feedback-" + upKey);
        Assert.Equal(upVote.GetProperty("citations")[0].GetProperty("article_id").GetString(), regression.GetProperty("sources")[0].GetString());
        Assert.False(regression.TryGetProperty("review", out _));
        Assert.True(lines.Single(l => l.GetProperty("id").GetString() == "feedback-" + downKey).GetProperty("review").GetBoolean());

        var (again, _, againError) = await NewsbotProcess.RunAsync(fixture.WorkingDirectory, noEnv, "feedback", "export", file, "--index", fixture.IndexPath);
        Assert.NotEqual(0, again);
        Assert.Contains("--force", againError, StringComparison.Ordinal);

        var (evalCode, evaluated, evalError) = await NewsbotProcess.RunAsync(fixture.WorkingDirectory, noEnv, "eval", file, "--json", "--index", fixture.IndexPath);
        Assert.True(evalCode == 0, evalError);
        Assert.Contains("marked \"review\": true", evalError, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(evaluated);
        Assert.Equal(lines.Count(l => !l.TryGetProperty("review", out _)), report.RootElement.GetProperty("questions").GetInt32());
        // The 👍 answer's own citations are its sources, so the same index finds them again.
        Assert.Equal(1.0, report.RootElement.GetProperty("recall_at_5").GetDouble());
    }

    [Fact]
    public async Task A_mention_and_a_dm_are_answered_as_replies_and_a_bots_message_is_not()
    {
        var before = Discord.ChannelMessages().Count;
        var fromBot = await Discord.MessageAsync($"<@{Discord.BotUserId}> who said the internet was down?", authorId: "1600000000000000001", authorIsBot: true, mentionBot: true);
        var mention = await Discord.MessageAsync($"<@{Discord.BotUserId}> who said North Korea's internet was totally down?", mentionBot: true);
        var dm = await Discord.MessageAsync("Through which country's networks is North Korea's internet wired?", channelId: DirectChannel, guildId: null);
        await Discord.WaitForAsync(() => Discord.ChannelMessages().Count == before + 2, "two replies");
        var replies = Discord.ChannelMessages().Skip(before).Select(r => r.Json).ToList();

        var referenced = replies.Select(r => r.GetProperty("message_reference").GetProperty("message_id").GetString()).ToList();
        Assert.Contains(mention, referenced);
        Assert.Contains(dm, referenced);
        Assert.DoesNotContain(fromBot, referenced);
        Assert.All(replies, r => Assert.Equal(0, r.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength()));
        Assert.Empty(Discord.Violations);
    }

    [Fact]
    public async Task After_op_7_the_bot_resumes_and_answers_the_next_event()
    {
        var resumes = Discord.ResumeCount;

        await Discord.SendReconnectAsync();
        await Discord.WaitForAsync(() => Discord.ResumeCount == resumes + 1 && Discord.HasLiveSession, "a resume");
        var interaction = await Discord.SlashCommandAsync("help");

        await Discord.WaitForCallbackAsync(interaction);
        Assert.Equal(1, Discord.IdentifyCount);
    }

    [Fact]
    public async Task With_heartbeat_acks_withheld_the_bot_reconnects_and_resumes()
    {
        var resumes = Discord.ResumeCount;

        Discord.WithholdHeartbeatAcks();
        await Discord.WaitForAsync(() => Discord.ResumeCount == resumes + 1 && Discord.HasLiveSession, "a resume");
        var interaction = await Discord.SlashCommandAsync("help");

        await Discord.WaitForCallbackAsync(interaction);
        Assert.Equal(1, Discord.IdentifyCount);
        Assert.DoesNotContain(Discord.Gateway, r => r.Kind == "close" && r.Detail is "1000" or "1001");
    }

    private static string VoteKey(JsonElement answer) =>
        answer.GetProperty("components").EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray())
            .Select(b => b.TryGetProperty("custom_id", out var id) ? id.GetString()! : "")
            .Single(id => id.StartsWith("vote:up:", StringComparison.Ordinal))["vote:up:".Length..];

}

/// <summary>How <c>newsbot serve</c> starts and stops.</summary>
public sealed class ServeLifecycleTests
{
    [Fact]
    public async Task Close_4004_makes_serve_exit_non_zero_with_a_message_about_the_token()
    {
        using var directory = new TempDirectory();
        var index = directory.File("samples.db");
        await ServeFixture.IngestSamplesAsync(directory.Path, index);
        await using var discord = await FakeDiscordServer.StartAsync();

        var (code, _, error) = await NewsbotProcess.RunAsync(directory.Path, ServeFixture.Environment(discord, token: "MTEwMDAwMDAwMDAwMDAwMDAwMg.GfAkeX.d3JvbmctdG9rZW4"), "serve", "--index", index);

        Assert.Equal(1, code);
        Assert.Contains("4004", error);
        Assert.Contains("Discord:Token", error);
        Assert.DoesNotContain("d3JvbmctdG9rZW4", error);
    }

    [Fact]
    public async Task A_missing_token_stops_serve_at_start_with_a_message()
    {
        using var directory = new TempDirectory();

        var (code, _, error) = await NewsbotProcess.RunAsync(directory.Path, new Dictionary<string, string>(), "serve", "--index", directory.File("none.db"));

        Assert.Equal(2, code);
        Assert.Contains("Discord:Token is missing; set it in appsettings.json, NEWSBOT__Discord__Token or user secrets", error);
    }

    [Fact]
    public async Task Serve_polls_the_configured_feeds_and_answers_from_an_article_published_there()
    {
        using var directory = new TempDirectory();
        var index = directory.File("samples.db");
        await ServeFixture.IngestSamplesAsync(directory.Path, index);
        await using var site = await NewsBot.TestSupport.Web.FakeNewsSite.StartAsync();
        site.Put("/news/bridge", NewsBot.TestSupport.Web.NewsPages.Article("Harbour bridge opens", "https://harbour.example/news/bridge-opens", "2026-12-01T08:00:00Z", "Ann Reporter",
            "The mayor of Port Ellis opened the new harbour bridge on Tuesday morning, ending eleven years of planning and three years of construction work on the waterfront.",
            "Thousands of residents walked across the bridge in the first hour, and the council said the crossing would cut the journey to five minutes."));
        site.Put("/rss.xml", NewsBot.TestSupport.Web.NewsPages.Rss("The Harbour Times", ("Harbour bridge opens", site.Url("/news/bridge"), "Tue, 01 Dec 2026 08:00:00 GMT", "The bridge is open.")), "application/rss+xml");
        await using var discord = await FakeDiscordServer.StartAsync();
        var environment = ServeFixture.Environment(discord);
        environment["NEWSBOT__Feeds__Urls__0"] = site.Url("/rss.xml");
        environment["NEWSBOT__Feeds__AllowPrivateAddresses"] = "true";
        await using var serve = NewsbotProcess.Start(directory.Path, environment, "serve", "--index", index);
        await discord.WaitForSessionAsync(TimeSpan.FromSeconds(30));
        // serve's log is its standard error; the first poll runs at start.
        for (var waited = 0; !serve.Error.Contains("Feeds: 1 polled, 1 new", StringComparison.Ordinal); waited += 100)
        {
            Assert.True(waited < 30_000, "no poll summary in serve's log:\n" + serve.Error);
            await Task.Delay(100);
        }

        var ask = await discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = "Who opened the harbour bridge?" });
        var answer = await discord.WaitForOriginalAsync(ask);

        Assert.Contains("mayor", answer.GetProperty("embeds")[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("https://harbour.example/news/bridge-opens", answer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_shuts_serve_down_cleanly()
    {
        using var directory = new TempDirectory();
        var index = directory.File("samples.db");
        await ServeFixture.IngestSamplesAsync(directory.Path, index);
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var serve = NewsbotProcess.Start(directory.Path, ServeFixture.Environment(discord), "serve", "--index", index);
        await discord.WaitForSessionAsync(TimeSpan.FromSeconds(30));

        await serve.TerminateAsync();
        var code = await serve.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(code == 0, $"exit {code}: {serve.Error}");
        await discord.WaitForAsync(() => discord.Gateway.Any(r => r.Kind == "close"), "the bot's close frame");
        Assert.Equal("1000", discord.Gateway.Last(r => r.Kind == "close").Detail);
    }
}
