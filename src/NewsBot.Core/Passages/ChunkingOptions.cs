using System.ComponentModel.DataAnnotations;

namespace NewsBot.Core.Passages;

/// <summary>Settings of the <c>Chunking</c> section: passage sizes in words.</summary>
public sealed class ChunkingOptions : IValidatableObject
{
    public const string SectionName = "Chunking";

    /// <summary>A passage is closed at a paragraph end once it has this many words (Chunking:MinWords).</summary>
    [Range(10, 5000)]
    public int MinWords { get; set; } = 150;

    /// <summary>A passage is closed at the first sentence end past this many words (Chunking:TargetWords).</summary>
    [Range(10, 5000)]
    public int TargetWords { get; set; } = 200;

    /// <summary>No passage grows past this many words, unless one sentence alone is longer (Chunking:MaxWords).</summary>
    [Range(10, 10000)]
    public int MaxWords { get; set; } = 250;

    /// <summary>Sentences repeated at the start of the next passage (Chunking:OverlapSentences).</summary>
    [Range(0, 3)]
    public int OverlapSentences { get; set; } = 1;

    /// <summary>Identifies the settings, so that changing them re-chunks every article on the next ingest.</summary>
    public string Fingerprint => $"chunk:{MinWords}/{TargetWords}/{MaxWords}/{OverlapSentences}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(MinWords <= TargetWords && TargetWords <= MaxWords))
            yield return new ValidationResult("Chunking:MinWords ≤ Chunking:TargetWords ≤ Chunking:MaxWords must hold.", [nameof(TargetWords)]);
    }
}
