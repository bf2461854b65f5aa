namespace NewsBot.Core.Answering;

/// <summary>
/// An answer and what it stands on. Every <see cref="Citations"/> entry points at one of <see cref="Passages"/>, the
/// passages retrieved for this question. <see cref="Refused"/> is true when the articles don't answer the question,
/// in which case <see cref="Text"/> says so plainly.
/// </summary>
/// <param name="Notice">Something the user should know about how the answer was made (a fallback, say), or null.</param>
public sealed record Answer(
    string Question,
    string Text,
    bool Refused,
    IReadOnlyList<Citation> Citations,
    IReadOnlyList<RetrievedPassage> Passages,
    string? Notice = null)
{
    /// <summary>What every answerer says when the articles don't cover the question.</summary>
    public const string RefusalText = "The articles don't say. I couldn't find this in the news articles I have.";

    public static Answer Refusal(string question, IReadOnlyList<RetrievedPassage> passages, string? notice = null) =>
        new(question, RefusalText, true, [], passages, notice);
}
