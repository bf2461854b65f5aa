using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Discord.Bot;

/// <summary>
/// A fair queue per server for the answers the bot makes: at most Discord:MaxConcurrentAnswersPerGuild run at once,
/// up to Discord:QueueLength wait, and the next to run is the question of the waiting user served least recently (a
/// user never served first; ties in arrival order): round-robin across users, so one user cannot fill the queue ahead
/// of everyone else. Every <see cref="RefreshInterval"/> (on <see cref="TimeProvider"/>)
/// a question that has waited that long is told its place when it changed, and one that nears the end of its
/// interaction token's life is ended with a notice rather than left "thinking".
/// </summary>
internal sealed partial class AnswerQueue : IDisposable
{
    /// <summary>How often waiting questions are shown their place, at most.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(3);

    /// <summary>An interaction token lives 15 minutes; a question still waiting after this is ended with a notice.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(14);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly int _concurrency;
    private readonly int _length;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;

    private readonly BotCounters? _counters;

    public AnswerQueue(IOptions<DiscordOptions> options, TimeProvider time, ILogger<AnswerQueue> logger, BotCounters? counters = null)
    {
        _counters = counters;
        _concurrency = options.Value.MaxConcurrentAnswersPerGuild;
        _length = options.Value.QueueLength;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(_ => Refresh(), null, RefreshInterval, RefreshInterval);
    }

    /// <summary>Whether a question from this server would be taken (it could start now, or there is room to wait).</summary>
    public bool HasRoom(string partition)
    {
        lock (_gate)
            return !_partitions.TryGetValue(partition, out var p) || p.Running < _concurrency || p.Waiting < _length;
    }

    /// <summary>
    /// Queues <paramref name="work"/>; false when the server's queue is full. <paramref name="showPlace"/> is told how
    /// many questions are ahead (only after the question has waited a while, and when it changed);
    /// <paramref name="expire"/> ends a question that waited too long.
    /// </summary>
    public bool TryEnqueue(string partition, string userId, Func<Task> work, Func<int, Task>? showPlace = null, Func<Task>? expire = null)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue(partition, out var p))
                _partitions[partition] = p = new Partition();
            if (p.Running >= _concurrency && p.Waiting >= _length)
                return false;
            if (!p.ByUser.TryGetValue(userId, out var mine))
            {
                p.ByUser[userId] = mine = new Queue<Item>();
                p.Rotation.AddLast(userId);
            }
            var item = new Item(work, showPlace, expire, _time.GetUtcNow());
            mine.Enqueue(item);
            p.Waiting++;
            Pump(partition, p);
            if (!item.Started)
                _counters?.Queued();
        }
        return true;
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Starts waiting work while there is capacity. Call under the gate.</summary>
    private void Pump(string partition, Partition p)
    {
        while (p.Running < _concurrency && Next(p) is { } item)
        {
            p.Running++;
            item.Started = true;
            _ = Task.Run(async () =>
            {
                try
                {
                    await item.Work().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogWorkFailed(_logger, ex);
                }
                finally
                {
                    lock (_gate)
                    {
                        p.Running--;
                        Pump(partition, p);
                        if (p.Running == 0 && p.Waiting == 0)
                            _partitions.Remove(partition);
                    }
                }
            });
        }
    }

    /// <summary>The next question: the waiting user served least recently gives their oldest one.</summary>
    private static Item? Next(Partition p)
    {
        if (Pick(p.Rotation, p.LastServed) is not { } node)
            return null;
        var user = node.Value;
        var mine = p.ByUser[user];
        var item = mine.Dequeue();
        p.Waiting--;
        p.LastServed[user] = ++p.Sequence;
        p.Rotation.Remove(node);
        if (mine.Count > 0)
            p.Rotation.AddLast(user);
        else
            p.ByUser.Remove(user);
        return item;
    }

    private static LinkedListNode<string>? Pick(LinkedList<string> rotation, Dictionary<string, long> lastServed)
    {
        LinkedListNode<string>? best = null;
        var bestServed = long.MaxValue;
        for (var node = rotation.First; node is not null; node = node.Next)
        {
            var served = lastServed.GetValueOrDefault(node.Value, -1);
            if (served < bestServed)
                (best, bestServed) = (node, served);
        }
        return best;
    }

    /// <summary>The waiting questions in the order they will run (the same choice as <see cref="Next"/>, simulated).</summary>
    private static List<Item> Order(Partition p)
    {
        var rotation = new LinkedList<string>(p.Rotation);
        var queues = p.ByUser.ToDictionary(x => x.Key, x => new Queue<Item>(x.Value), StringComparer.Ordinal);
        var served = new Dictionary<string, long>(p.LastServed, StringComparer.Ordinal);
        var sequence = p.Sequence;
        var order = new List<Item>(p.Waiting);
        while (Pick(rotation, served) is { } node)
        {
            var user = node.Value;
            order.Add(queues[user].Dequeue());
            served[user] = ++sequence;
            rotation.Remove(node);
            if (queues[user].Count > 0)
                rotation.AddLast(user);
        }
        return order;
    }

    private void Refresh()
    {
        var now = _time.GetUtcNow();
        var actions = new List<Func<Task>>();
        lock (_gate)
        {
            foreach (var p in _partitions.Values)
            {
                var order = Order(p);
                for (var place = 0; place < order.Count; place++)
                {
                    var item = order[place];
                    if (now - item.Enqueued >= MaxWait)
                    {
                        Remove(p, item);
                        _counters?.TurnedAway();
                        if (item.Expire is { } expire)
                            actions.Add(expire);
                        continue;
                    }
                    if (item.ShowPlace is { } show && now - item.Enqueued >= RefreshInterval && place != item.LastShown)
                    {
                        item.LastShown = place;
                        var ahead = place;
                        actions.Add(() => show(ahead));
                    }
                }
            }
        }
        foreach (var action in actions)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await action().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogWorkFailed(_logger, ex);
                }
            });
        }
    }

    private static void Remove(Partition p, Item item)
    {
        foreach (var (user, queue) in p.ByUser.ToList())
        {
            if (!queue.Contains(item))
                continue;
            var rest = new Queue<Item>(queue.Where(i => i != item));
            p.Waiting--;
            if (rest.Count == 0)
            {
                p.ByUser.Remove(user);
                p.Rotation.Remove(user);
            }
            else
            {
                p.ByUser[user] = rest;
            }
            return;
        }
    }

    internal static string Ahead(int count) => count switch
    {
        0 => "Your question is next.",
        1 => "1 question ahead of yours; answering soon.",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count} questions ahead of yours; answering soon."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A queued answer failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception);

    private sealed class Partition
    {
        public int Running;
        public int Waiting;
        public long Sequence;
        public readonly Dictionary<string, long> LastServed = new(StringComparer.Ordinal);
        public readonly LinkedList<string> Rotation = new();
        public readonly Dictionary<string, Queue<Item>> ByUser = new(StringComparer.Ordinal);
    }

    private sealed class Item(Func<Task> work, Func<int, Task>? showPlace, Func<Task>? expire, DateTimeOffset enqueued)
    {
        public Func<Task> Work { get; } = work;

        public Func<int, Task>? ShowPlace { get; } = showPlace;

        public Func<Task>? Expire { get; } = expire;

        public DateTimeOffset Enqueued { get; } = enqueued;

        public int LastShown { get; set; } = -1;

        public bool Started { get; set; }
    }
}
