using System.ComponentModel.DataAnnotations;

namespace NewsBot.Core.Answering.Generative;

/// <summary>Settings of the <c>Answer:Model</c> section, for answers written by a language model.</summary>
public sealed class ModelAnswerOptions
{
    public const string SectionName = "Answer:Model";

    /// <summary>The prompt file to answer with (Answer:Model:Prompt), by its <c>name</c> or file name.</summary>
    [Required(ErrorMessage = "Answer:Model:Prompt must name a prompt file, e.g. answer.")]
    public string Prompt { get; set; } = "answer";

    /// <summary>
    /// Tokens the sources may take in the prompt, estimated as characters / 4 (Answer:Model:ContextTokenBudget).
    /// Lower-ranked passages are left out first; the best passage is always sent, shortened if it alone is too long.
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "Answer:Model:ContextTokenBudget must be between 100 and 1000000.")]
    public int ContextTokenBudget { get; set; } = 3000;

    /// <summary>
    /// The share (0..1) of a cited sentence's content words that must appear in the passages it cites for the
    /// sentence to stay in the answer (Answer:Model:MinSupport).
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Answer:Model:MinSupport must be between 0 and 1.")]
    public double MinSupport { get; set; } = 0.5;

    /// <summary>The longest answer the prompt asks for, in sentences (Answer:Model:MaxSentences).</summary>
    [Range(1, 20, ErrorMessage = "Answer:Model:MaxSentences must be between 1 and 20.")]
    public int MaxSentences { get; set; } = 4;

    /// <summary>Earlier turns of a conversation shown to the model for context (Answer:Model:HistoryTurns).</summary>
    [Range(0, 20, ErrorMessage = "Answer:Model:HistoryTurns must be between 0 and 20.")]
    public int HistoryTurns { get; set; } = 3;

    /// <summary>
    /// The sentence the prompt tells the model to reply with when the sources do not answer the question
    /// (Answer:Model:RefusalPhrase); a reply saying so becomes <see cref="Answer.RefusalText"/>.
    /// </summary>
    [Required(ErrorMessage = "Answer:Model:RefusalPhrase must not be empty.")]
    public string RefusalPhrase { get; set; } = "The sources don't say.";
}
