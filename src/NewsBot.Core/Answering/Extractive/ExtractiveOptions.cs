using System.ComponentModel.DataAnnotations;

namespace NewsBot.Core.Answering.Extractive;

/// <summary>Settings of the <c>Answer</c> section for the extractive (no model) answerer.</summary>
public sealed class ExtractiveOptions
{
    public const string SectionName = "Answer";

    /// <summary>
    /// The evidence needed to answer rather than refuse: the weighted share of the question's content words found in
    /// the best sentence and its passage (Answer:MinSupport). Calibrated on shared/eval/dev.jsonl; see the README.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MinSupport { get; set; } = 0.5;

    /// <summary>Sentences in an extractive answer at most (Answer:MaxSentences).</summary>
    [Range(1, 5)]
    public int MaxSentences { get; set; } = 2;
}
