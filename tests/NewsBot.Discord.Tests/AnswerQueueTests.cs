using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Bot;
using NewsBot.Discord.Tests.Support;

namespace NewsBot.Discord.Tests;

public sealed class AnswerQueueTests
{
    private static AnswerQueue Queue(ManualTimeProvider time, int concurrency = 1, int length = 10) =>
        new(Options.Create(new DiscordOptions { MaxConcurrentAnswersPerGuild = concurrency, QueueLength = length }), time, NullLogger<AnswerQueue>.Instance);

    private static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_waiting_question_is_told_its_place_once_it_has_waited_and_when_it_changes()
    {
        var time = new ManualTimeProvider();
        using var queue = Queue(time);
        var gate = new TaskCompletionSource();
        var places = new List<int>();
        var shown = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.True(queue.TryEnqueue("guild", "a", () => gate.Task));
        Assert.True(queue.TryEnqueue("guild", "b", () => Task.CompletedTask));
        Assert.True(queue.TryEnqueue("guild", "c", () => Task.CompletedTask, ahead =>
        {
            lock (places)
                places.Add(ahead);
            shown.TrySetResult(ahead);
            return Task.CompletedTask;
        }));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(places);
        time.Advance(AnswerQueue.RefreshInterval);
        Assert.Equal(1, await Within(shown.Task));
        time.Advance(AnswerQueue.RefreshInterval);
        lock (places)
            Assert.Equal([1], places);
        gate.SetResult();
    }

    [Fact]
    public async Task A_question_that_waits_too_long_is_ended_with_a_notice_and_never_run()
    {
        var time = new ManualTimeProvider();
        using var queue = Queue(time);
        var ran = false;
        var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(queue.TryEnqueue("guild", "a", () => new TaskCompletionSource().Task));
        Assert.True(queue.TryEnqueue("guild", "b", () => { ran = true; return Task.CompletedTask; }, expire: () => { expired.SetResult(); return Task.CompletedTask; }));

        time.Advance(AnswerQueue.MaxWait + AnswerQueue.RefreshInterval);

        await expired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ran);
        Assert.True(queue.HasRoom("guild"));
    }

    [Fact]
    public void A_full_queue_turns_the_next_question_away_and_other_servers_are_not_affected()
    {
        using var queue = Queue(new ManualTimeProvider(), concurrency: 1, length: 1);
        var never = new TaskCompletionSource().Task;

        Assert.True(queue.TryEnqueue("guild", "a", () => never));
        Assert.True(queue.TryEnqueue("guild", "b", () => never));
        Assert.False(queue.HasRoom("guild"));
        Assert.False(queue.TryEnqueue("guild", "c", () => never));
        Assert.True(queue.TryEnqueue("other guild", "c", () => never));
    }
}
