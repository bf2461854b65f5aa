using System.Collections.Concurrent;
using NewsBot.Core.Answering;

namespace NewsBot.Discord.Bot;

/// <summary>
/// The earlier turns of conversations the bot takes part in, by channel id: threads started from a message it answered
/// (a thread started from a message has that message's id) and DMs. Turns expire when a conversation goes quiet.
/// </summary>
internal sealed class Conversations
{
    public static readonly TimeSpan ThreadIdleLimit = TimeSpan.FromHours(24);
    public static readonly TimeSpan DirectIdleLimit = TimeSpan.FromMinutes(15);

    private const int MaxTurns = 6;
    private const int Capacity = 5000;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Conversation> _byChannel = new(StringComparer.Ordinal);

    public Conversations(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>The turns so far in <paramref name="channelId"/>, or null when the bot is not in a conversation there.</summary>
    public IReadOnlyList<ConversationTurn>? Get(string channelId)
    {
        if (!_byChannel.TryGetValue(channelId, out var conversation))
            return null;
        lock (conversation)
        {
            if (_time.GetUtcNow() - conversation.LastActive > conversation.IdleLimit)
                return conversation.IsThread ? [] : null;
            return conversation.Turns.ToList();
        }
    }

    /// <summary>
    /// Starts a conversation after the bot answered a mention: follow-ups go to a thread created from the question or
    /// from the answer, whose ids are <paramref name="roots"/>.
    /// </summary>
    public void StartThread(IEnumerable<string> roots, ConversationTurn turn)
    {
        var conversation = new Conversation(isThread: true, ThreadIdleLimit);
        conversation.Add(turn, _time.GetUtcNow());
        Prune();
        foreach (var root in roots)
            _byChannel[root] = conversation;
    }

    /// <summary>Adds a turn to the channel's conversation, starting one for a DM.</summary>
    public void Append(string channelId, ConversationTurn turn, bool isDirect)
    {
        var now = _time.GetUtcNow();
        var conversation = _byChannel.GetOrAdd(channelId, _ => new Conversation(isThread: !isDirect, isDirect ? DirectIdleLimit : ThreadIdleLimit));
        lock (conversation)
        {
            if (now - conversation.LastActive > conversation.IdleLimit)
                conversation.Turns.Clear();
            conversation.Add(turn, now);
        }
        Prune();
    }

    private void Prune()
    {
        if (_byChannel.Count <= Capacity)
            return;
        var now = _time.GetUtcNow();
        foreach (var (key, conversation) in _byChannel)
        {
            if (now - conversation.LastActive > conversation.IdleLimit)
                _byChannel.TryRemove(key, out _);
        }
    }

    private sealed class Conversation(bool isThread, TimeSpan idleLimit)
    {
        public bool IsThread { get; } = isThread;

        public TimeSpan IdleLimit { get; } = idleLimit;

        public List<ConversationTurn> Turns { get; } = [];

        public DateTimeOffset LastActive { get; private set; }

        public void Add(ConversationTurn turn, DateTimeOffset now)
        {
            Turns.Add(turn);
            if (Turns.Count > MaxTurns)
                Turns.RemoveAt(0);
            LastActive = now;
        }
    }
}
