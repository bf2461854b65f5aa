using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NewsBot.Discord.Tests.Support;

/// <summary>Keeps every log line (with its exception) so a test can check what the bot wrote, or wait for a line.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <summary>Waits until a line containing <paramref name="text"/> has been logged.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var signal = Volatile.Read(ref _changed).Task;
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
                return;
            try
            {
                await signal.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for a log line with '{text}'.\n" + string.Join("\n", _lines));
            }
        }
    }

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private sealed class Logger(string category, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
    }
}
