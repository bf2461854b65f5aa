using System.ComponentModel.DataAnnotations;

namespace NewsBot.Host.Composition;

/// <summary>Settings of the <c>Index</c> section: which passage index to use (the embedded index's own settings, Index:Path, belong to its adapter).</summary>
public sealed class IndexOptions
{
    public const string SectionName = "Index";

    /// <summary><c>sqlite</c> (the embedded default) or <c>qdrant</c> (Index:Provider).</summary>
    [Required]
    [RegularExpression("^(?i)(sqlite|qdrant)$", ErrorMessage = "Index:Provider must be 'sqlite' or 'qdrant'.")]
    public string Provider { get; set; } = "sqlite";

    public bool IsQdrant => string.Equals(Provider, "qdrant", StringComparison.OrdinalIgnoreCase);
}
