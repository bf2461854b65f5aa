using NewsBot.Core.Answering;
using NewsBot.Host.Output;

namespace NewsBot.Host.Commands;

/// <summary>Prints an answer as a person reads it, or as the one JSON object of <c>ask --json</c>.</summary>
internal static class AnswerPrinter
{
    public static void Print(ConsoleOutput output, Answer answer, bool json)
    {
        if (json)
        {
            output.Line(CliJsonContext.Serialize(ToJson(answer)));
            return;
        }
        output.Line(answer.Text);
        if (answer.Notice is { } notice)
            output.Note(notice);
        if (answer.Citations.Count == 0)
            return;
        output.Line();
        output.Line("Sources:");
        foreach (var citation in answer.Citations)
        {
            var by = citation.Authors.Count > 0 ? " by " + string.Join(", ", citation.Authors) : "";
            output.Line($"[{citation.Number}] {Formatting.Heading(citation.Title, citation.Source, citation.Date)}{by}");
            output.Line($"    \"{Formatting.OneLine(citation.Quote, 400)}\"");
            output.Line($"    {citation.Url ?? citation.ArticleId}");
        }
    }

    public static AskJson ToJson(Answer answer) => new(
        answer.Question,
        answer.Text,
        answer.Refused,
        answer.Citations.Select(c => new CitationJson(c.Number, c.ArticleId, c.Title, c.Source, Formatting.Date(c.Date), c.Url, c.Quote, c.Authors)).ToList(),
        answer.Notice);
}
