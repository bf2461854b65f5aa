namespace NewsBot.Core.Answering;

/// <param name="Question">The standalone question (follow-ups already rewritten).</param>
/// <param name="Passages">The retrieved passages, numbered from 1, best first.</param>
public sealed record AnswerRequest(string Question, IReadOnlyList<RetrievedPassage> Passages, IReadOnlyList<ConversationTurn> History);
