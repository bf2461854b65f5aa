using System.Collections.Concurrent;

namespace NewsBot.Discord.Bot;

/// <summary>Handlers run off the gateway's receive loop; this keeps track of them so shutdown can wait for them.</summary>
internal sealed class BackgroundWork
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public void Run(Func<Task> work)
    {
        var task = Task.Run(work);
        _running[task] = 0;
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public async Task DrainAsync(TimeSpan limit, TimeProvider time)
    {
        var pending = _running.Keys.ToArray();
        if (pending.Length == 0)
            return;
        try
        {
            await Task.WhenAll(pending).WaitAsync(limit, time);
        }
        catch (Exception)
        {
            // Handlers report their own failures; shutdown only waits for them.
        }
    }
}
