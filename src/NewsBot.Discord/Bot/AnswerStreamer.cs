using NewsBot.Core.Answering;

namespace NewsBot.Discord.Bot;

/// <summary>Asks the assistant, showing the text so far through <c>showPartial</c> at most once per <see cref="EditThrottle.Interval"/>.</summary>
internal sealed class AnswerStreamer
{
    private readonly NewsAssistant _assistant;
    private readonly TimeProvider _time;

    public AnswerStreamer(NewsAssistant assistant, TimeProvider time)
    {
        _assistant = assistant;
        _time = time;
    }

    public async Task<Answer> AskAsync(AskRequest request, Func<string, Task> showPartial, CancellationToken cancellationToken)
    {
        var throttle = new EditThrottle(_time);
        await foreach (var update in _assistant.AskStreamingAsync(request, cancellationToken))
        {
            if (update.Final is { } final)
                return final;
            if (!string.IsNullOrWhiteSpace(update.Text) && throttle.TryBegin())
                await showPartial(update.Text);
        }
        throw new InvalidOperationException("The answer stream ended without a final answer.");
    }
}
