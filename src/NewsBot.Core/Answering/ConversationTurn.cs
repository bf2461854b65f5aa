namespace NewsBot.Core.Answering;

/// <summary>An earlier question and the answer given, for follow-ups in a chat or a Discord thread.</summary>
public sealed record ConversationTurn(string Question, string Answer);
