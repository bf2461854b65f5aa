namespace NewsBot.Core.Answering;

/// <summary>Turns retrieved passages into a cited answer: extractive by default, a language model when one is configured.</summary>
public interface IAnswerer
{
    Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken);

    /// <summary>Streams the answer as it is made; the last update carries the final, checked answer.</summary>
    IAsyncEnumerable<AnswerUpdate> StreamAsync(AnswerRequest request, CancellationToken cancellationToken);
}
