using System.Collections.Concurrent;
using System.Globalization;
using NewsBot.Core.Answering;

namespace NewsBot.Discord.Bot;

/// <summary>
/// Recent answers in memory, so that /sources and the Post sources button can post their citations later. Keys carry
/// a per-process prefix: a button left over from before a restart finds nothing rather than another answer. Votes
/// (the 👍/👎 buttons) look their answer up here too, so an answer older than the last <see cref="Capacity"/> can no
/// longer be voted on.
/// </summary>
internal sealed class AnswerStore
{
    public const int Capacity = 1000;

    private readonly string _prefix = Convert.ToString(Random.Shared.Next(36 * 36 * 36, 36 * 36 * 36 * 36), 16);
    private readonly ConcurrentDictionary<string, StoredAnswer> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _lastPublicByChannel = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _counter;

    /// <param name="AnsweredAt">When the answer was given, recorded with any vote on it as its as-of date.</param>
    public sealed record StoredAnswer(string Key, string ChannelId, string? GuildId, Answer Answer, bool Private, DateTimeOffset AnsweredAt);

    /// <summary>Keeps an answer and returns its key; a public one becomes the channel's last answer for /sources.</summary>
    public string Add(string channelId, string? guildId, Answer answer, bool isPrivate, DateTimeOffset answeredAt)
    {
        var key = _prefix + Interlocked.Increment(ref _counter).ToString("x", CultureInfo.InvariantCulture);
        _answers[key] = new StoredAnswer(key, channelId, guildId, answer, isPrivate, answeredAt);
        _order.Enqueue(key);
        if (!isPrivate && answer.Citations.Count > 0)
            _lastPublicByChannel[channelId] = key;
        while (_order.Count > Capacity && _order.TryDequeue(out var old))
            _answers.TryRemove(old, out _);
        return key;
    }

    public StoredAnswer? Get(string key) => _answers.TryGetValue(key, out var stored) ? stored : null;

    /// <summary>The last public answer with sources in a channel; private answers are never posted by /sources.</summary>
    public StoredAnswer? LastPublicIn(string channelId) =>
        _lastPublicByChannel.TryGetValue(channelId, out var key) ? Get(key) : null;
}
