using System.Text.Json.Serialization;

namespace NewsBot.Core.Evaluation;

/// <summary>The figures <c>newsbot eval</c> reports; the JSON names are an interface scripts depend on.</summary>
public sealed record EvalReport
{
    [JsonPropertyName("questions")]
    public int Questions { get; init; }

    [JsonPropertyName("recall_at_1")]
    public double RecallAt1 { get; init; }

    [JsonPropertyName("recall_at_5")]
    public double RecallAt5 { get; init; }

    [JsonPropertyName("recall_at_10")]
    public double RecallAt10 { get; init; }

    [JsonPropertyName("mrr_at_10")]
    public double MrrAt10 { get; init; }

    [JsonPropertyName("answer_accuracy")]
    public double AnswerAccuracy { get; init; }

    [JsonPropertyName("citation_precision")]
    public double CitationPrecision { get; init; }

    [JsonPropertyName("refusal_accuracy")]
    public double RefusalAccuracy { get; init; }

    [JsonPropertyName("false_refusal_rate")]
    public double FalseRefusalRate { get; init; }

    [JsonPropertyName("p50_ms")]
    public double P50Ms { get; init; }

    [JsonPropertyName("p95_ms")]
    public double P95Ms { get; init; }

    /// <summary>Per-question outcomes, for the human-readable report; not part of the JSON output.</summary>
    [JsonIgnore]
    public IReadOnlyList<EvalOutcome> Outcomes { get; init; } = [];
}

/// <param name="FirstHitRank">1-based rank of the first retrieved passage that is a hit, or null.</param>
public sealed record EvalOutcome(EvalQuestion Question, int? FirstHitRank, bool Refused, bool AnswerCorrect, int Citations, int CitationHits, double Milliseconds, string AnswerText);
