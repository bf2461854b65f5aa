using System.Runtime.CompilerServices;
using NewsBot.Core.Answering;

namespace NewsBot.Discord.Tests.Support;

/// <summary>An answerer that returns a prepared answer (optionally streamed in steps), for limits and streaming tests.</summary>
internal sealed class ScriptedAnswerer(Func<AnswerRequest, Answer> answer, IReadOnlyList<string>? steps = null, Func<Task>? betweenSteps = null) : IAnswerer
{
    public List<AnswerRequest> Requests { get; } = [];

    public Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
            Requests.Add(request);
        return Task.FromResult(answer(request));
    }

    public async IAsyncEnumerable<AnswerUpdate> StreamAsync(AnswerRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var step in steps ?? [])
        {
            yield return new AnswerUpdate(step, null);
            if (betweenSteps is not null)
                await betweenSteps();
        }
        var final = await AnswerAsync(request, cancellationToken);
        yield return new AnswerUpdate(final.Text, final);
    }
}
