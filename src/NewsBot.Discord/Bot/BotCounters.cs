using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NewsBot.Discord.Bot;

/// <summary>
/// What the bot did in the last minute, logged as one line a minute while it runs (on <see cref="TimeProvider"/>):
/// questions received, answered, refused, queued (had to wait for a turn), turned away (cooldown, length, full queue,
/// waited too long), feedback votes, and the answer time from question to posted answer (p50/p95).
/// </summary>
internal sealed partial class BotCounters : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly List<double> _answerSeconds = [];
    private int _questions;
    private int _answered;
    private int _refused;
    private int _queued;
    private int _turnedAway;
    private int _votes;

    public BotCounters(TimeProvider time, ILogger<BotCounters> logger)
    {
        _logger = logger;
        _timer = time.CreateTimer(_ => Report(), null, Interval, Interval);
    }

    public void Question() => Interlocked.Increment(ref _questions);

    public void Queued() => Interlocked.Increment(ref _queued);

    public void TurnedAway() => Interlocked.Increment(ref _turnedAway);

    public void Vote() => Interlocked.Increment(ref _votes);

    public void Answered(bool refused, TimeSpan took)
    {
        lock (_gate)
        {
            if (refused)
                _refused++;
            else
                _answered++;
            _answerSeconds.Add(took.TotalSeconds);
        }
    }

    /// <summary>Logs the last minute's line and starts the next minute from zero.</summary>
    public void Report()
    {
        double[] seconds;
        int questions, answered, refused, queued, turnedAway, votes;
        lock (_gate)
        {
            seconds = [.. _answerSeconds.Order()];
            _answerSeconds.Clear();
            (answered, refused) = (_answered, _refused);
            (_answered, _refused) = (0, 0);
            questions = Interlocked.Exchange(ref _questions, 0);
            queued = Interlocked.Exchange(ref _queued, 0);
            turnedAway = Interlocked.Exchange(ref _turnedAway, 0);
            votes = Interlocked.Exchange(ref _votes, 0);
        }
        LogMinute(_logger, questions, answered, refused, queued, turnedAway, votes, Percentile(seconds, 0.50), Percentile(seconds, 0.95));
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Nearest-rank percentile in seconds, "-" when nothing was answered.</summary>
    private static string Percentile(double[] sorted, double p) => sorted.Length == 0
        ? "-"
        : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)].ToString("0.0", CultureInfo.InvariantCulture) + " s";

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Last minute: {Questions} questions, {Answered} answered, {Refused} refused, {Queued} queued, {TurnedAway} turned away, {Votes} feedback votes, answer p50 {P50} p95 {P95}")]
    private static partial void LogMinute(ILogger logger, int questions, int answered, int refused, int queued, int turnedAway, int votes, string p50, string p95);
}
