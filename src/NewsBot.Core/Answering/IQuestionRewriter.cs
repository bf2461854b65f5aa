namespace NewsBot.Core.Answering;

/// <summary>Makes a follow-up question standalone from the earlier turns (with a model, or by carrying key terms over).</summary>
public interface IQuestionRewriter
{
    Task<string> RewriteAsync(string question, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken);
}
