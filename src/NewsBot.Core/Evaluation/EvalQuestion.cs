using System.Text.Json.Serialization;

namespace NewsBot.Core.Evaluation;

/// <summary>One line of an evaluation file such as shared/eval/dev.jsonl.</summary>
public sealed record EvalQuestion
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("question")]
    public required string Question { get; init; }

    [JsonPropertyName("answers")]
    public IReadOnlyList<string> Answers { get; init; } = [];

    /// <summary>Ids of the articles that answer the question.</summary>
    [JsonPropertyName("sources")]
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Exact substrings of a source that support the answer; empty when only the article is known.</summary>
    [JsonPropertyName("evidence")]
    public IReadOnlyList<string> Evidence { get; init; } = [];

    [JsonPropertyName("answerable")]
    public bool Answerable { get; init; } = true;

    /// <summary>The date the question was asked (a quiz date); retrieval treats it as the as-of date.</summary>
    [JsonPropertyName("as_of")]
    public string? AsOf { get; init; }

    /// <summary>
    /// Set on questions exported from 👎 feedback: nobody has checked them yet, so <c>newsbot eval</c> skips them until
    /// the mark is removed (or set to false).
    /// </summary>
    [JsonPropertyName("review")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Review { get; init; }
}
