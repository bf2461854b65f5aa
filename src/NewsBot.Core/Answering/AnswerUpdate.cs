namespace NewsBot.Core.Answering;

/// <summary>
/// A step of a streamed answer: <see cref="Text"/> is the text so far (unchecked while <see cref="Final"/> is null);
/// the last update carries the checked <see cref="Final"/> answer, whose text may differ from the streamed one.
/// </summary>
public sealed record AnswerUpdate(string Text, Answer? Final);
