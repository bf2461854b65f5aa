namespace NewsBot.Core.Answering.Generative;

/// <summary>What checking made of a reply: the answer (null when the caller should fall back) and what was taken out.</summary>
internal sealed record CheckResult(Answer? Answer, int KeptSentences, int RemovedSentences, int DroppedCitations);
