using NewsBot.Core.Answering;
using NewsBot.Core.Passages;
using NewsBot.Discord.Bot;
using NewsBot.Discord.Protocol.Wire;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class RenderingTests
{
    [Fact]
    public async Task An_answer_longer_than_every_limit_is_trimmed_and_accepted_by_discord()
    {
        var answerer = new ScriptedAnswerer(request => Oversized(request.Question));
        await using var bot = await BotHarness.StartAsync(settings: s => s["Discord:MaxQuestionLength"] = "6000", answerer: answerer);

        var interaction = await bot.Discord.SlashCommandAsync("ask", new Dictionary<string, object> { ["question"] = new string('q', 3000) + " @everyone?" });
        var answer = await bot.Discord.WaitForOriginalAsync(interaction);
        await bot.Discord.MessageAsync($"<@{bot.Discord.BotUserId}> {new string('w', 2500)}", mentionBot: true);
        await bot.Discord.WaitForAsync(() => bot.Discord.ChannelMessages().Count == 1, "the reply");

        var embed = answer.GetProperty("embeds")[0];
        Assert.EndsWith("…", embed.GetProperty("title").GetString());
        Assert.EndsWith("…", embed.GetProperty("description").GetString());
        Assert.InRange(embed.GetProperty("fields").GetArrayLength(), 1, 25);
        Assert.Equal(200, bot.Discord.ChannelMessages().Single().Status);
        Assert.All(bot.Discord.Requests, r => Assert.InRange(r.Status, 200, 299));
        // The harness fails the test if any body broke a limit or the OpenAPI contract.
    }

    [Fact]
    public void Every_part_of_an_oversized_answer_keeps_within_its_limit()
    {
        var body = new AnswerRenderer().Answer(Oversized(new string('q', 5000)), "1300000000000000002", "abcdef12345");

        var embed = Assert.Single(body.Embeds!);
        Assert.True(embed.Title!.Length <= DiscordLimits.EmbedTitle);
        Assert.True(embed.Description!.Length <= DiscordLimits.EmbedDescription);
        Assert.True(embed.Fields!.Count <= DiscordLimits.EmbedFields);
        Assert.All(embed.Fields, f => Assert.True(f.Name.Length <= DiscordLimits.FieldName && f.Value.Length <= DiscordLimits.FieldValue));
        Assert.True(EmbedBudget.Length(embed) <= DiscordLimits.EmbedTotal);
        Assert.Equal(2, body.Components!.Count);
        var row = body.Components[0];
        Assert.InRange(row.Components!.Count, 1, DiscordLimits.ButtonsPerRow);
        Assert.All(row.Components, b => Assert.True((b.Label?.Length ?? 0) <= DiscordLimits.ButtonLabel));
        Assert.All(row.Components, b => Assert.True(b.Url is null || b.Url.Length <= DiscordLimits.ButtonUrl));
        Assert.Equal("sources:1300000000000000002:abcdef12345", row.Components[^1].CustomId);
        Assert.Equal(["vote:up:abcdef12345", "vote:down:abcdef12345"], body.Components[1].Components!.Select(b => b.CustomId));
    }

    [Fact]
    public void Links_stay_whole_when_a_quote_is_trimmed()
    {
        var answer = new Answer("q", "text [1]", false,
            [new Citation(1, "a", "a#0", "Title", "Source", null, "https://example.com/a", new string('x', 5000))], []);

        var field = new AnswerRenderer().Answer(answer, "1", "k").Embeds![0].Fields![0];

        Assert.EndsWith("\nhttps://example.com/a", field.Value);
        Assert.Contains("…", field.Value);
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("  padded  ", 10, "padded")]
    [InlineData("one two three four", 12, "one two…")]
    [InlineData("abcdefghijklmnop", 8, "abcdefg…")]
    public void Trim_cuts_with_an_ellipsis(string text, int max, string expected)
    {
        Assert.Equal(expected, DiscordLimits.Trim(text, max));
    }

    [Fact]
    public void Trim_never_splits_a_surrogate_pair()
    {
        var text = "abcdefg" + "😀" + "hijk";

        var trimmed = DiscordLimits.Trim(text, 9);

        Assert.Equal("abcdefg…", trimmed);
    }

    [Fact]
    public void The_embed_budget_shrinks_fields_before_dropping_them()
    {
        var fields = Enumerable.Range(1, 25).Select(i => new EmbedField($"[{i}] name", new string('v', 1024))).ToList();

        var fitted = EmbedBudget.Fit(new Embed { Title = "t", Description = new string('d', 4096), Fields = fields });

        Assert.True(EmbedBudget.Length(fitted) <= DiscordLimits.EmbedTotal);
        Assert.Equal(4096, fitted.Description!.Length);
        Assert.NotEmpty(fitted.Fields!);
    }

    [Fact]
    public void A_custom_id_too_long_for_discord_drops_the_button_rather_than_failing()
    {
        var answer = new Answer("q", "text [1]", false, [new Citation(1, "a", "a#0", "Title", null, null, null, "quote")], []);

        var body = new AnswerRenderer().Answer(answer, new string('9', 60), new string('k', 60));

        var ids = body.Components!.SelectMany(r => r.Components!).Select(b => b.CustomId ?? "").ToList();
        Assert.DoesNotContain(ids, id => id.StartsWith("sources:", StringComparison.Ordinal));
        Assert.All(ids, id => Assert.InRange(id.Length, 1, DiscordLimits.CustomId));
    }

    private static Answer Oversized(string question)
    {
        var citations = Enumerable.Range(1, 40).Select(i => new Citation(
            i,
            $"article-{i}",
            $"article-{i}#0",
            new string('T', 400) + " <@123> @everyone",
            new string('S', 150),
            new DateTimeOffset(2014, 12, 22, 0, 0, 0, TimeSpan.Zero),
            i % 3 == 0 ? "https://example.com/" + new string('u', 600) : $"https://example.com/news/{i}",
            new string('Q', 3000))).ToList();
        var passages = citations.Select(c => new RetrievedPassage(c.Number, new Passage
        {
            Id = c.PassageId,
            ArticleId = c.ArticleId,
            Ordinal = 0,
            Start = 0,
            End = 10,
            Text = c.Quote,
            Title = c.Title,
        }, 1, 1)).ToList();
        var text = string.Concat(Enumerable.Range(1, 40).Select(i => $"@everyone {new string('A', 240)} [{i}] "));
        return new Answer(question, text, false, citations, passages, Notice: new string('N', 3000));
    }
}
