using System.Globalization;
using NewsBot.Core.Answering;
using NewsBot.Core.Indexing;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

/// <summary>
/// Turns answers, citations and look-ups into Discord messages that always fit: an embed whose description is the
/// answer with its [n] markers, a field per cited source, link buttons for the first sources and a "Post sources"
/// button. Every text is trimmed to its limit with "…" and the whole embed to 6000 characters.
/// </summary>
internal sealed class AnswerRenderer
{
    public const string SourcesButtonPrefix = "sources:";
    public const string VotePrefix = "vote:";
    public const string WhyPrefix = "why:";

    /// <summary>The text input of the "What was wrong?" modal.</summary>
    public const string WhyField = "why";
    public const int MaxWhyLength = 1000;

    private const string UpVote = "up";
    private const string DownVote = "down";

    private const int AnswerColor = 0x2B6CB0;
    private const int RefusalColor = 0x718096;
    private const int FieldNameBudget = 120;
    private const int AnswerLinkButtons = 4;

    /// <summary>The answer message; <paramref name="answerKey"/> names it for the Post sources button.</summary>
    public MessageBody Answer(Answer answer, string channelId, string answerKey)
    {
        var fieldsBudget = DiscordLimits.EmbedTotal - Math.Min(DiscordLimits.EmbedTitle, answer.Question.Length)
            - Math.Min(DiscordLimits.EmbedDescription, answer.Text.Length) - Math.Min(300, answer.Notice?.Length ?? 0);
        var embed = EmbedBudget.Fit(new Embed
        {
            Title = DiscordLimits.OneLine(answer.Question),
            Description = answer.Text,
            Color = answer.Refused ? RefusalColor : AnswerColor,
            Fields = answer.Refused ? null : CitationFields(answer.Citations, fieldsBudget),
            Footer = answer.Notice is { Length: > 0 } notice ? new EmbedFooter(DiscordLimits.Trim(notice, 300)) : null,
        });
        return new MessageBody
        {
            Embeds = [embed],
            Components = [.. answer.Refused || answer.Citations.Count == 0 ? [] : AnswerButtons(answer.Citations, channelId, answerKey), .. VoteRow(answerKey)],
        };
    }

    /// <summary>
    /// Reads a 👍/👎 button's custom id (<c>vote:up:&lt;key&gt;</c> or <c>vote:down:&lt;key&gt;</c>). Anyone can send
    /// any custom id, so this accepts exactly that shape and nothing else; the key only ever looks an answer up.
    /// </summary>
    public static bool TryParseVote(string customId, out bool helpful, out string answerKey)
    {
        helpful = false;
        answerKey = "";
        var parts = customId.Split(':');
        if (parts.Length != 3 || parts[0] != VotePrefix.TrimEnd(':') || parts[1] is not (UpVote or DownVote) || !IsKey(parts[2]))
            return false;
        helpful = parts[1] == UpVote;
        answerKey = parts[2];
        return true;
    }

    /// <summary>Reads the "What was wrong?" modal's custom id (<c>why:&lt;key&gt;</c>).</summary>
    public static bool TryParseWhy(string customId, out string answerKey)
    {
        answerKey = "";
        if (!customId.StartsWith(WhyPrefix, StringComparison.Ordinal) || !IsKey(customId[WhyPrefix.Length..]))
            return false;
        answerKey = customId[WhyPrefix.Length..];
        return true;
    }

    /// <summary>The modal a 👎 opens: one optional paragraph, "What was wrong?".</summary>
    public static InteractionCallbackData WhyModal(string answerKey) => new()
    {
        CustomId = WhyPrefix + answerKey,
        Title = "What was wrong?",
        Components =
        [
            new Component
            {
                Type = Component.LabelType,
                Label = "What was wrong with the answer?",
                Description = "Optional. For example: it cited the wrong article, or missed that…",
                Child = new Component
                {
                    Type = Component.TextInputType,
                    CustomId = WhyField,
                    Style = Component.ParagraphStyle,
                    Required = false,
                    MaxLength = MaxWhyLength,
                    Placeholder = "The answer is wrong because…",
                },
            },
        ],
    };

    private static bool IsKey(string key) => key.Length is > 0 and <= 32 && key.All(char.IsAsciiHexDigitLower);

    private static List<Component> VoteRow(string answerKey) =>
    [
        new Component
        {
            Type = Component.ActionRowType,
            Components =
            [
                new Component { Type = Component.ButtonType, Style = Component.SecondaryStyle, Emoji = new ComponentEmoji("👍"), Label = "Helpful", CustomId = VotePrefix + UpVote + ":" + answerKey },
                new Component { Type = Component.ButtonType, Style = Component.SecondaryStyle, Emoji = new ComponentEmoji("👎"), Label = "Not helpful", CustomId = VotePrefix + DownVote + ":" + answerKey },
            ],
        },
    ];

    /// <summary>What a streamed answer shows until it is finished: the text so far, no sources yet.</summary>
    public MessageBody Progress(string question, string partialText) => new()
    {
        Embeds = [EmbedBudget.Fit(new Embed
        {
            Title = DiscordLimits.OneLine(question),
            Description = DiscordLimits.Trim(partialText, DiscordLimits.EmbedDescription - 2) + " " + DiscordLimits.Ellipsis,
            Color = AnswerColor,
        })],
    };

    /// <summary>The full citations of an answer, posted publicly by /sources and the Post sources button.</summary>
    public MessageBody Citations(Answer answer)
    {
        var title = "Sources: " + DiscordLimits.OneLine(answer.Question);
        var budget = DiscordLimits.EmbedTotal - Math.Min(DiscordLimits.EmbedTitle, title.Length);
        var embed = EmbedBudget.Fit(new Embed
        {
            Title = title,
            Color = AnswerColor,
            Fields = CitationFields(answer.Citations, budget),
            Description = answer.Citations.Count == 0 ? "This answer cites no sources." : null,
        });
        return new MessageBody { Embeds = [embed], Components = LinkRow(answer.Citations.Select(c => (c.Number, c.Title, c.Url)), DiscordLimits.ButtonsPerRow) };
    }

    /// <summary>/lookup: the matching articles with title, source, date, link and their best passage.</summary>
    public MessageBody Lookup(string query, IReadOnlyList<RetrievedPassage> passages, int maxArticles)
    {
        var articles = passages
            .GroupBy(p => p.Passage.ArticleId, StringComparer.Ordinal)
            .Select(g => g.First())
            .Take(maxArticles)
            .ToList();
        var title = $"Articles about “{DiscordLimits.OneLine(query)}”";
        if (articles.Count == 0)
        {
            return new MessageBody
            {
                Embeds = [EmbedBudget.Fit(new Embed { Title = title, Description = "No matching articles. Try other words, another source or a wider date range.", Color = RefusalColor })],
                Components = [],
            };
        }

        var budget = DiscordLimits.EmbedTotal - Math.Min(DiscordLimits.EmbedTitle, title.Length);
        var cap = FieldValueCap(budget, articles.Count);
        var fields = articles.Select((p, i) => new EmbedField(
            FieldName(i + 1, p.Passage.Title, p.Passage.Source, p.Passage.Published),
            FieldValue(p.Passage.Text, p.Passage.Url, cap))).ToList();
        var embed = EmbedBudget.Fit(new Embed { Title = title, Color = AnswerColor, Fields = fields });
        return new MessageBody { Embeds = [embed], Components = LinkRow(articles.Select((p, i) => (i + 1, p.Passage.Title, p.Passage.Url)), DiscordLimits.ButtonsPerRow) };
    }

    public MessageBody Statistics(IndexStatistics stats)
    {
        var dates = stats.OldestPublished is null ? "none" : $"{DiscordLimits.Date(stats.OldestPublished)} to {DiscordLimits.Date(stats.NewestPublished)}";
        var description = string.Join('\n',
            $"**Articles** {stats.Articles.ToString(CultureInfo.InvariantCulture)}",
            $"**Passages** {stats.Passages.ToString(CultureInfo.InvariantCulture)}",
            $"**Sources** {stats.Sources.ToString(CultureInfo.InvariantCulture)}",
            $"**Dates** {dates}",
            $"**Embedder** {stats.Embedder?.ToString() ?? "none"}");
        return new MessageBody { Embeds = [EmbedBudget.Fit(new Embed { Title = "NewsBot index", Description = description, Color = AnswerColor })] };
    }

    public static MessageBody Help() => new()
    {
        Embeds = [EmbedBudget.Fit(new Embed
        {
            Title = "NewsBot: questions about the news, answered with sources",
            Color = AnswerColor,
            Description = string.Join('\n',
                "`/ask question [private]` answers from the news articles and cites them as [n]; private answers only you see.",
                "`/lookup query [source] [from] [to]` lists matching articles with their best passage (dates as YYYY-MM-DD).",
                "`/sources` posts the sources of the last answer in this channel for everyone.",
                "`/stats` shows how many articles and sources I know.",
                "",
                "You can also mention me with a question, or send me a DM. In a thread started from one of my answers, " +
                "follow-up questions are answered with the conversation so far."),
        })],
    };

    private static List<EmbedField> CitationFields(IReadOnlyList<Citation> citations, int budget)
    {
        var shown = citations.Take(DiscordLimits.EmbedFields).ToList();
        var cap = FieldValueCap(budget, shown.Count);
        return shown.Select(c => new EmbedField(FieldName(c.Number, c.Title, c.Source, c.Date), FieldValue(c.Quote, c.Url, cap))).ToList();
    }

    /// <summary>"[n] Title — Source · date".</summary>
    private static string FieldName(int number, string title, string? source, DateTimeOffset? date)
    {
        var suffix = string.Join(" · ", new[] { source, DiscordLimits.Date(date) }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => DiscordLimits.OneLine(s)));
        var prefix = $"[{number.ToString(CultureInfo.InvariantCulture)}] ";
        var room = FieldNameBudget - prefix.Length - (suffix.Length == 0 ? 0 : suffix.Length + 3);
        var name = prefix + DiscordLimits.Trim(DiscordLimits.OneLine(title), Math.Max(20, room)) + (suffix.Length == 0 ? "" : " — " + suffix);
        return DiscordLimits.Trim(name, DiscordLimits.FieldName);
    }

    /// <summary>The quote as a block quote, then the link on its own line; the quote gives way so the link stays whole.</summary>
    private static string FieldValue(string quote, string? url, int cap)
    {
        var link = DiscordLimits.LinkOrNull(url);
        var linkPart = link is null ? "" : "\n" + link;
        var quoteCap = Math.Max(20, cap - linkPart.Length - 2);
        var text = "> " + DiscordLimits.Trim(DiscordLimits.OneLine(quote), quoteCap);
        return (text + linkPart).Length <= cap ? text + linkPart : DiscordLimits.Trim(text, cap);
    }

    private static int FieldValueCap(int budget, int fields) =>
        fields == 0 ? DiscordLimits.FieldValue : Math.Clamp((budget / fields) - FieldNameBudget, 60, DiscordLimits.FieldValue);

    private static List<Component> AnswerButtons(IReadOnlyList<Citation> citations, string channelId, string answerKey)
    {
        var buttons = LinkButtons(citations.Select(c => (c.Number, c.Title, c.Url)), AnswerLinkButtons);
        var customId = SourcesButtonPrefix + channelId + ":" + answerKey;
        if (customId.Length <= DiscordLimits.CustomId)
            buttons.Add(new Component { Type = Component.ButtonType, Style = Component.SecondaryStyle, Label = "Post sources", CustomId = customId });
        return buttons.Count == 0 ? [] : [new Component { Type = Component.ActionRowType, Components = buttons }];
    }

    private static List<Component> LinkRow(IEnumerable<(int Number, string Title, string? Url)> sources, int max)
    {
        var buttons = LinkButtons(sources, max);
        return buttons.Count == 0 ? [] : [new Component { Type = Component.ActionRowType, Components = buttons }];
    }

    private static List<Component> LinkButtons(IEnumerable<(int Number, string Title, string? Url)> sources, int max)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var buttons = new List<Component>();
        foreach (var (number, title, url) in sources)
        {
            if (buttons.Count == Math.Min(max, DiscordLimits.ButtonsPerRow))
                break;
            if (DiscordLimits.LinkOrNull(url) is not { } link || !seen.Add(link))
                continue;
            var label = DiscordLimits.Trim($"[{number.ToString(CultureInfo.InvariantCulture)}] {DiscordLimits.OneLine(title)}", DiscordLimits.ButtonLabel);
            buttons.Add(new Component { Type = Component.ButtonType, Style = Component.LinkStyle, Label = label, Url = link });
        }
        return buttons;
    }
}
