using System.ComponentModel.DataAnnotations;

namespace NewsBot.Core.Embedding;

/// <summary>Settings of the <c>Embedding</c> section.</summary>
public sealed class EmbeddingOptions
{
    public const string SectionName = "Embedding";

    /// <summary><c>local</c> (default: feature hashing, no model file) or <c>model</c> (the Model:EmbeddingModel endpoint).</summary>
    [Required]
    [RegularExpression("^(?i)(local|model)$", ErrorMessage = "Embedding:Provider must be 'local' or 'model'.")]
    public string Provider { get; set; } = "local";

    /// <summary>Vector size of the local embedder (Embedding:Dimensions).</summary>
    [Range(16, 4096)]
    public int Dimensions { get; set; } = 384;

    /// <summary>Texts embedded per call while ingesting (Embedding:BatchSize).</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 64;
}
