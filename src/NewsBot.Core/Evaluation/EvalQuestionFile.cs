using System.Text.Json;

namespace NewsBot.Core.Evaluation;

/// <summary>Reads an evaluation file: one JSON object a line; blank lines ignored.</summary>
public static class EvalQuestionFile
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <exception cref="FormatException">A line is not a question object; the message names the file and line.</exception>
    public static async Task<IReadOnlyList<EvalQuestion>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var questions = new List<EvalQuestion>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            EvalQuestion? question;
            try
            {
                question = JsonSerializer.Deserialize<EvalQuestion>(line, Json);
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{path}:{lineNumber}: not a question object ({ex.Message.Split('.')[0]}).", ex);
            }
            if (question is null || string.IsNullOrWhiteSpace(question.Question))
                throw new FormatException($"{path}:{lineNumber}: the \"question\" field is missing.");
            if (question.AsOf is { } asOf && !EvalRunner.TryParseDate(asOf, out _))
                throw new FormatException($"{path}:{lineNumber}: \"as_of\" is not a date (use YYYY-MM-DD).");
            questions.Add(question);
        }
        return questions;
    }
}
