using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Feedback;
using NewsBot.Core.Retrieval;
using NewsBot.Discord.Protocol.Rest;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

/// <summary>
/// Slash commands, autocomplete and buttons. Anything that takes time is deferred first (callback type 5, the first
/// REST call after the event arrives), then the original response is edited; a failure reaches the user as one short
/// ephemeral sentence.
/// </summary>
internal sealed partial class InteractionHandler
{
    private const int LookupPassages = 15;
    private const int LookupArticles = 5;
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan VoteTimeout = TimeSpan.FromSeconds(2);

    private readonly DiscordRestClient _rest;
    private readonly NewsAssistant _assistant;
    private readonly AnswerStreamer _streamer;
    private readonly AnswerRenderer _renderer;
    private readonly AnswerStore _answers;
    private readonly AbuseGuard _guard;
    private readonly AnswerQueue _queue;
    private readonly DiscordOptions _options;
    private readonly IFeedbackStore _feedback;
    private readonly BotCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public InteractionHandler(
        DiscordRestClient rest,
        NewsAssistant assistant,
        AnswerStreamer streamer,
        AnswerRenderer renderer,
        AnswerStore answers,
        AbuseGuard guard,
        AnswerQueue queue,
        IOptions<DiscordOptions> options,
        IFeedbackStore feedback,
        BotCounters counters,
        TimeProvider time,
        ILogger<InteractionHandler> logger)
    {
        _feedback = feedback;
        _counters = counters;
        _queue = queue;
        _rest = rest;
        _assistant = assistant;
        _streamer = streamer;
        _renderer = renderer;
        _answers = answers;
        _guard = guard;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async Task HandleAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        try
        {
            switch (interaction.Type)
            {
                case Interaction.ApplicationCommandType:
                    await CommandAsync(interaction, cancellationToken);
                    break;
                case Interaction.AutocompleteType:
                    await AutocompleteAsync(interaction, cancellationToken);
                    break;
                case Interaction.MessageComponentType:
                    await ComponentAsync(interaction, cancellationToken);
                    break;
                case Interaction.ModalSubmitType:
                    await ModalSubmitAsync(interaction, cancellationToken);
                    break;
                default:
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogInteractionFailed(_logger, interaction.Data?.Name ?? interaction.Data?.CustomId ?? "?", ex);
        }
    }

    private Task CommandAsync(Interaction interaction, CancellationToken cancellationToken) => interaction.Data?.Name switch
    {
        CommandDefinitions.Ask => AskAsync(interaction, cancellationToken),
        CommandDefinitions.Lookup => LookupAsync(interaction, cancellationToken),
        CommandDefinitions.Sources => SourcesAsync(interaction, cancellationToken),
        CommandDefinitions.Help => RespondAsync(interaction, AnswerRenderer.Help(), ephemeral: true, cancellationToken),
        CommandDefinitions.Stats => StatsAsync(interaction, cancellationToken),
        _ => ReplyEphemeralAsync(interaction, UserMessages.UnknownCommand, cancellationToken),
    };

    private async Task AskAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var question = DiscordLimits.OneLine(StringOption(interaction, "question"));
        var isPrivate = BoolOption(interaction, "private");
        if (question.Length == 0)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.EmptyQuestion, cancellationToken);
            return;
        }
        var started = _time.GetTimestamp();
        _counters.Question();
        var userId = UserId(interaction);
        var refusal = _guard.TryEnter(userId, interaction.GuildId, question.Length, cooldown: true, out _, limitConcurrency: false);
        if (refusal is not null)
        {
            _counters.TurnedAway();
            await ReplyEphemeralAsync(interaction, refusal, cancellationToken);
            return;
        }
        var partition = AbuseGuard.Partition(userId, interaction.GuildId);
        if (!_queue.HasRoom(partition))
        {
            _counters.TurnedAway();
            await ReplyEphemeralAsync(interaction, UserMessages.QueueFull, cancellationToken);
            return;
        }

        // Acknowledged at once, answered when its turn comes (Discord shows "thinking" meanwhile).
        await DeferAsync(interaction, isPrivate, cancellationToken);
        var queued = _queue.TryEnqueue(partition, userId,
            () => AnswerDeferredAsync(interaction, question, isPrivate, started, cancellationToken),
            ahead => _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new MessageBody { Content = AnswerQueue.Ahead(ahead) }, cancellationToken),
            () => FailAfterDeferAsync(interaction, isPrivate, UserMessages.WaitedTooLong, cancellationToken));
        if (!queued)
        {
            _counters.TurnedAway();
            await FailAfterDeferAsync(interaction, isPrivate, UserMessages.QueueFull, cancellationToken);
        }
    }

    private async Task AnswerDeferredAsync(Interaction interaction, string question, bool isPrivate, long started, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(AnswerTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var channelId = interaction.ChannelId ?? "";
            var answer = await _streamer.AskAsync(
                new AskRequest(question),
                partial => _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, _renderer.Progress(question, partial), linked.Token),
                linked.Token);
            var key = _answers.Add(channelId, interaction.GuildId, answer, isPrivate, _time.GetUtcNow());
            await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, _renderer.Answer(answer, channelId, key), linked.Token);
            _counters.Answered(answer.Refused, _time.GetElapsedTime(started));
            LogAnswered(_logger, "/ask", answer.Citations.Count, answer.Refused);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogInteractionFailed(_logger, "/ask", ex);
            await FailAfterDeferAsync(interaction, isPrivate, UserMessages.For(ex), cancellationToken);
        }
    }

    private async Task LookupAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var query = DiscordLimits.OneLine(StringOption(interaction, "query"));
        var source = StringOption(interaction, "source").Trim();
        if (query.Length == 0)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.EmptyQuestion, cancellationToken);
            return;
        }
        if (!TryParseDate(StringOption(interaction, "from"), endOfDay: false, out var from))
        {
            await ReplyEphemeralAsync(interaction, UserMessages.BadDate("from"), cancellationToken);
            return;
        }
        if (!TryParseDate(StringOption(interaction, "to"), endOfDay: true, out var to))
        {
            await ReplyEphemeralAsync(interaction, UserMessages.BadDate("to"), cancellationToken);
            return;
        }
        var refusal = _guard.TryEnter(UserId(interaction), interaction.GuildId, query.Length, cooldown: false, out var lease);
        if (refusal is not null)
        {
            await ReplyEphemeralAsync(interaction, refusal, cancellationToken);
            return;
        }

        using (lease)
        {
            await DeferAsync(interaction, ephemeral: false, cancellationToken);
            try
            {
                var passages = await _assistant.SearchAsync(new RetrievalRequest(query)
                {
                    K = LookupPassages,
                    Sources = source.Length > 0 ? [source] : null,
                    From = from,
                    To = to,
                }, cancellationToken);
                await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, _renderer.Lookup(query, passages, LookupArticles), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogInteractionFailed(_logger, "/lookup", ex);
                await FailAfterDeferAsync(interaction, ephemeral: false, UserMessages.For(ex), cancellationToken);
            }
        }
    }

    private async Task SourcesAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        if (_answers.LastPublicIn(interaction.ChannelId ?? "") is not { } stored)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.NoSources, cancellationToken);
            return;
        }
        // Rendering is in memory, so the citations go out as the first (public) response.
        await RespondAsync(interaction, _renderer.Citations(stored.Answer), ephemeral: false, cancellationToken);
    }

    private async Task StatsAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        await DeferAsync(interaction, ephemeral: true, cancellationToken);
        try
        {
            var stats = await _assistant.GetStatisticsAsync(cancellationToken);
            await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, _renderer.Statistics(stats), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogInteractionFailed(_logger, "/stats", ex);
            await FailAfterDeferAsync(interaction, ephemeral: true, UserMessages.For(ex), cancellationToken);
        }
    }

    private async Task AutocompleteAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var focused = interaction.Data?.Options?.FirstOrDefault(o => o.Focused == true);
        IReadOnlyList<CommandChoice> choices = [];
        if (focused is { Name: "source" })
        {
            try
            {
                var prefix = focused.Value.ValueKind == JsonValueKind.String ? focused.Value.GetString()?.Trim() : null;
                var sources = await _assistant.GetSourcesAsync(string.IsNullOrEmpty(prefix) ? null : prefix, DiscordLimits.Choices, cancellationToken);
                choices = sources
                    .Where(s => s.Trim().Length is > 0 and <= DiscordLimits.ChoiceValue)
                    .Distinct(StringComparer.Ordinal)
                    .Take(DiscordLimits.Choices)
                    .Select(s => new CommandChoice(DiscordLimits.Trim(s, DiscordLimits.ChoiceName), s.Trim()))
                    .ToList();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogInteractionFailed(_logger, "autocomplete", ex);
            }
        }
        await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
            new InteractionResponse(InteractionResponse.AutocompleteResult, new InteractionCallbackData { Choices = choices }), cancellationToken);
    }

    private async Task ComponentAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var customId = interaction.Data?.CustomId ?? "";
        if (AnswerRenderer.TryParseVote(customId, out var helpful, out var voteKey))
        {
            await VoteAsync(interaction, voteKey, helpful, cancellationToken);
            return;
        }
        if (!customId.StartsWith(AnswerRenderer.SourcesButtonPrefix, StringComparison.Ordinal))
        {
            await ReplyEphemeralAsync(interaction, UserMessages.UnknownButton, cancellationToken);
            return;
        }
        var parts = customId.Split(':');
        var stored = parts.Length == 3 ? _answers.Get(parts[2]) : null;
        if (stored is null)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.SourcesGone, cancellationToken);
            return;
        }

        // The channel comes from the stored answer, not from the custom id: anyone can send any custom id.
        var target = string.IsNullOrWhiteSpace(_options.CitationsChannelId) ? stored.ChannelId : _options.CitationsChannelId.Trim();
        await DeferAsync(interaction, ephemeral: true, cancellationToken);
        try
        {
            await _rest.CreateMessageAsync(target, _renderer.Citations(stored.Answer), cancellationToken);
            await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new MessageBody { Content = UserMessages.PostedSources(target) }, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogInteractionFailed(_logger, "Post sources", ex);
            await FailAfterDeferAsync(interaction, ephemeral: true, UserMessages.For(ex), cancellationToken);
        }
    }

    /// <summary>
    /// 👍 is kept and thanked privately; 👎 is kept at once (so a closed modal still counts) and then asks "What was
    /// wrong?" in a modal. The vote is written before the response, and a store that can't be written is said plainly.
    /// </summary>
    private async Task VoteAsync(Interaction interaction, string key, bool helpful, CancellationToken cancellationToken)
    {
        if (_answers.Get(key) is not { } stored)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.VoteGone, cancellationToken);
            return;
        }
        if (!await RecordVoteAsync(interaction, stored, helpful, comment: null, cancellationToken))
        {
            await ReplyEphemeralAsync(interaction, UserMessages.VoteNotKept, cancellationToken);
            return;
        }
        if (helpful)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.ThanksUp, cancellationToken);
            return;
        }
        await _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
            new InteractionResponse(InteractionResponse.Modal, AnswerRenderer.WhyModal(key)), cancellationToken);
    }

    /// <summary>The "What was wrong?" modal sent: the 👎 is kept again, now with what the reader wrote.</summary>
    private async Task ModalSubmitAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        if (!AnswerRenderer.TryParseWhy(interaction.Data?.CustomId ?? "", out var key))
        {
            await ReplyEphemeralAsync(interaction, UserMessages.UnknownButton, cancellationToken);
            return;
        }
        if (_answers.Get(key) is not { } stored)
        {
            await ReplyEphemeralAsync(interaction, UserMessages.VoteGone, cancellationToken);
            return;
        }
        var why = interaction.Data!.SubmittedValue(AnswerRenderer.WhyField).Trim();
        if (why.Length > AnswerRenderer.MaxWhyLength)
            why = why[..AnswerRenderer.MaxWhyLength];
        var kept = await RecordVoteAsync(interaction, stored, helpful: false, why.Length == 0 ? null : why, cancellationToken);
        await ReplyEphemeralAsync(interaction, kept ? UserMessages.ThanksDown : UserMessages.VoteNotKept, cancellationToken);
    }

    private async Task<bool> RecordVoteAsync(Interaction interaction, AnswerStore.StoredAnswer stored, bool helpful, string? comment, CancellationToken cancellationToken)
    {
        var vote = FeedbackVote.For(stored.Answer, stored.Key, UserId(interaction), helpful, stored.AnsweredAt, _time.GetUtcNow()) with
        {
            Comment = comment,
            Index = _assistant.IndexLocation,
            GuildId = stored.GuildId,
            ChannelId = stored.ChannelId,
        };
        // Discord wants the response within 3 s; a store locked for longer (a big ingest) is reported, not waited for.
        using var timeout = new CancellationTokenSource(VoteTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _feedback.RecordAsync(vote, linked.Token);
            _counters.Vote();
            LogVoted(_logger, vote.Vote, stored.Key);
            return true;
        }
        catch (Exception ex) when (ex is FeedbackStoreException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogVoteNotKept(_logger, _feedback.Location, ex.Message);
            return false;
        }
    }

    private Task DeferAsync(Interaction interaction, bool ephemeral, CancellationToken cancellationToken) =>
        _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(
            InteractionResponse.DeferredChannelMessage,
            ephemeral ? new InteractionCallbackData { Flags = MessageFlags.Ephemeral } : null), cancellationToken);

    private Task RespondAsync(Interaction interaction, MessageBody body, bool ephemeral, CancellationToken cancellationToken) =>
        _rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new InteractionResponse(
            InteractionResponse.ChannelMessage,
            new InteractionCallbackData
            {
                Content = body.Content,
                Embeds = body.Embeds,
                Components = body.Components,
                AllowedMentions = AllowedMentions.None,
                Flags = ephemeral ? MessageFlags.Ephemeral : null,
            }), cancellationToken);

    private Task ReplyEphemeralAsync(Interaction interaction, string sentence, CancellationToken cancellationToken) =>
        RespondAsync(interaction, new MessageBody { Content = sentence }, ephemeral: true, cancellationToken);

    /// <summary>
    /// After a public deferral the "thinking" message is deleted and the sentence sent as an ephemeral followup, so
    /// that only the asker sees the failure.
    /// </summary>
    private async Task FailAfterDeferAsync(Interaction interaction, bool ephemeral, string sentence, CancellationToken cancellationToken)
    {
        try
        {
            var body = new MessageBody { Content = sentence, Embeds = [], Components = [] };
            if (ephemeral)
            {
                await _rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, body, cancellationToken);
                return;
            }
            await _rest.DeleteOriginalResponseAsync(interaction.ApplicationId, interaction.Token, cancellationToken);
            await _rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token, new MessageBody { Content = sentence, Flags = MessageFlags.Ephemeral }, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogInteractionFailed(_logger, "reporting a failure", ex);
        }
    }

    private static string UserId(Interaction interaction) => interaction.Invoker?.Id ?? "unknown";

    private static string StringOption(Interaction interaction, string name) =>
        Option(interaction, name) is { Value.ValueKind: JsonValueKind.String } option ? option.Value.GetString() ?? "" : "";

    private static bool BoolOption(Interaction interaction, string name) =>
        Option(interaction, name) is { Value.ValueKind: JsonValueKind.True };

    private static InteractionOption? Option(Interaction interaction, string name) =>
        interaction.Data?.Options?.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal));

    private static bool TryParseDate(string text, bool endOfDay, out DateTimeOffset? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        date = endOfDay && parsed.TimeOfDay == TimeSpan.Zero ? parsed.AddDays(1).AddTicks(-1) : parsed;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling {What} failed")]
    private static partial void LogInteractionFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feedback: {Vote} on answer {AnswerKey}")]
    private static partial void LogVoted(ILogger logger, string vote, string answerKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A feedback vote could not be kept in {Store}: {Reason}")]
    private static partial void LogVoteNotKept(ILogger logger, string store, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered {Via} with {Citations} citations (refused: {Refused})")]
    private static partial void LogAnswered(ILogger logger, string via, int citations, bool refused);
}
