using NewsBot.Core.Answering;

namespace NewsBot.Discord.Tests.Support;

/// <summary>Wraps an answerer and records what it was asked (the history of follow-ups, say), or blocks until released.</summary>
internal sealed class RecordingAnswerer(IAnswerer inner) : IAnswerer
{
    private readonly List<AnswerRequest> _requests = [];

    /// <summary>When set, every answer waits for this task first (to hold answers in flight).</summary>
    public Task? Gate { get; set; }

    /// <summary>When set, answering throws it (to test how failures reach the user).</summary>
    public Exception? Failure { get; set; }

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<AnswerRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public async Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        lock (_requests)
            _requests.Add(request);
        Entered.TrySetResult();
        if (Gate is not null)
            await Gate.WaitAsync(cancellationToken);
        if (Failure is not null)
            throw Failure;
        return await inner.AnswerAsync(request, cancellationToken);
    }

    public async IAsyncEnumerable<AnswerUpdate> StreamAsync(AnswerRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(request, cancellationToken);
        yield return new AnswerUpdate(answer.Text, answer);
    }
}
