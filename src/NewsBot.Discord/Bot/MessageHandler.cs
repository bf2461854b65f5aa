using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Discord.Protocol.Rest;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

/// <summary>
/// Messages that mention the bot, DMs, and follow-ups in threads started from a message it answered, each answered
/// as a reply. Messages from bots (itself included) and webhooks are never answered. With
/// <see cref="DiscordOptions.AnswerInThread"/>, an answer to a mention in a server channel opens a thread on itself.
/// </summary>
internal sealed partial class MessageHandler
{
    private const int DefaultMessageType = 0;
    private const int ReplyMessageType = 19;
    private const int ThreadNameLength = 100;
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(10);

    private readonly DiscordRestClient _rest;
    private readonly AnswerStreamer _streamer;
    private readonly AnswerRenderer _renderer;
    private readonly AnswerStore _answers;
    private readonly Conversations _conversations;
    private readonly AbuseGuard _guard;
    private readonly AnswerQueue _queue;
    private readonly BotIdentity _identity;
    private readonly BotCounters _counters;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MessageHandler(
        DiscordRestClient rest,
        AnswerStreamer streamer,
        AnswerRenderer renderer,
        AnswerStore answers,
        Conversations conversations,
        AbuseGuard guard,
        AnswerQueue queue,
        BotIdentity identity,
        BotCounters counters,
        IOptions<DiscordOptions> options,
        TimeProvider time,
        ILogger<MessageHandler> logger)
    {
        _counters = counters;
        _options = options.Value;
        _queue = queue;
        _rest = rest;
        _streamer = streamer;
        _renderer = renderer;
        _answers = answers;
        _conversations = conversations;
        _guard = guard;
        _identity = identity;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether the message is one the bot answers; cheap, so it runs on the receive loop.</summary>
    public bool IsForBot(DiscordMessage message)
    {
        if (_identity.UserId is not { } botId || message.Author is not { } author)
            return false;
        if (author.Bot == true || author.Id == botId || message.WebhookId is not null)
            return false;
        if (message.Type is not (DefaultMessageType or ReplyMessageType))
            return false;
        return message.GuildId is null || MentionParser.MentionsBot(message, botId) || _conversations.Get(message.ChannelId) is not null;
    }

    public async Task HandleAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await AnswerAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(_logger, ex);
        }
    }

    private async Task AnswerAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        var botId = _identity.UserId!;
        var isDirect = message.GuildId is null;
        var mentioned = MentionParser.MentionsBot(message, botId);
        var history = _conversations.Get(message.ChannelId);
        var question = MentionParser.StripBotMention(message.Content ?? "", botId);
        var reference = new MessageReference(message.Id, message.ChannelId, message.GuildId, FailIfNotExists: false);
        var arrived = _time.GetTimestamp();

        if (question.Length == 0)
        {
            // Without the Message Content intent, thread follow-ups that don't mention the bot arrive empty.
            if (mentioned)
                await NoticeAsync(message.ChannelId, reference, UserMessages.EmptyQuestion, cancellationToken);
            return;
        }

        _counters.Question();
        // One notice per cooldown window; further mentions in it get no reply at all.
        if (_guard.InCooldown(message.Author!.Id) && !_guard.FirstNoticeInWindow(message.Author.Id))
        {
            _counters.TurnedAway();
            return;
        }
        var refusal = _guard.TryEnter(message.Author!.Id, message.GuildId, question.Length, cooldown: true, out _, limitConcurrency: false);
        if (refusal is not null)
        {
            _counters.TurnedAway();
            await NoticeAsync(message.ChannelId, reference, refusal, cancellationToken);
            return;
        }

        // Mentions and DMs wait in the same fair queue as /ask.
        if (!_queue.TryEnqueue(AbuseGuard.Partition(message.Author.Id, message.GuildId), message.Author.Id,
            () => ReplyWithAnswerAsync(message, question, history, isDirect, reference, arrived, cancellationToken)))
        {
            _counters.TurnedAway();
            await NoticeAsync(message.ChannelId, reference, UserMessages.QueueFull, cancellationToken);
        }
    }

    private async Task ReplyWithAnswerAsync(DiscordMessage message, string question, IReadOnlyList<ConversationTurn>? history, bool isDirect, MessageReference reference, long arrived, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(AnswerTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        DiscordMessage? reply = null;
        try
        {
            var answer = await _streamer.AskAsync(new AskRequest(question) { History = history ?? [] }, async partial =>
            {
                var progress = _renderer.Progress(question, partial);
                if (reply is null)
                    reply = await _rest.CreateMessageAsync(message.ChannelId, progress with { MessageReference = reference }, linked.Token);
                else
                    await _rest.EditMessageAsync(message.ChannelId, reply.Id, progress, linked.Token);
            }, linked.Token);

            var key = _answers.Add(message.ChannelId, message.GuildId, answer, isPrivate: false, _time.GetUtcNow());
            var body = _renderer.Answer(answer, message.ChannelId, key);
            if (reply is null)
                reply = await _rest.CreateMessageAsync(message.ChannelId, body with { MessageReference = reference }, linked.Token);
            else
                await _rest.EditMessageAsync(message.ChannelId, reply.Id, body, linked.Token);

            _counters.Answered(answer.Refused, _time.GetElapsedTime(arrived));

            var turn = new ConversationTurn(question, answer.Text);
            if (history is not null || isDirect)
            {
                _conversations.Append(message.ChannelId, turn, isDirect);
            }
            else
            {
                // A thread started on the message or on the answer has that message's id as its channel id.
                _conversations.StartThread([message.Id, reply.Id], turn);
                if (_options.AnswerInThread)
                    await OpenThreadAsync(message.ChannelId, reply.Id, question, cancellationToken);
            }
            LogAnswered(_logger, isDirect ? "a DM" : history is not null ? "a thread follow-up" : "a mention", answer.Citations.Count);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, ex);
            var sentence = UserMessages.For(ex);
            if (reply is null)
                await ReplyAsync(message.ChannelId, reference, sentence, cancellationToken);
            else
                await TryAsync(() => _rest.EditMessageAsync(message.ChannelId, reply.Id, new MessageBody { Content = sentence, Embeds = [], Components = [] }, cancellationToken));
        }
    }

    private Task ReplyAsync(string channelId, MessageReference reference, string sentence, CancellationToken cancellationToken) =>
        TryAsync(() => _rest.CreateMessageAsync(channelId, new MessageBody { Content = sentence, MessageReference = reference }, cancellationToken));

    /// <summary>A notice is dropped rather than sent late when the channel is rate-limited: answers go first.</summary>
    private Task NoticeAsync(string channelId, MessageReference reference, string sentence, CancellationToken cancellationToken) =>
        TryAsync(() => _rest.TryCreateNoticeAsync(channelId, new MessageBody { Content = sentence, MessageReference = reference }, cancellationToken));

    /// <summary>A thread that cannot be opened (no permission, a thread already there) leaves the answer as it is.</summary>
    private async Task OpenThreadAsync(string channelId, string answerId, string question, CancellationToken cancellationToken)
    {
        var name = DiscordLimits.Trim(DiscordLimits.OneLine(question), ThreadNameLength) is { Length: > 0 } line ? line : "Follow-ups";
        try
        {
            await _rest.StartThreadFromMessageAsync(channelId, answerId, name, cancellationToken);
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException)
        {
            LogThreadFailed(_logger, ex.Message);
        }
    }

    private async Task TryAsync(Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException)
        {
            LogFailed(_logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering a message failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not open a thread on an answer: {Reason}. Check the bot's Create Public Threads permission, or set Discord:AnswerInThread=false")]
    private static partial void LogThreadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered {Via} with {Citations} citations")]
    private static partial void LogAnswered(ILogger logger, string via, int citations);
}
