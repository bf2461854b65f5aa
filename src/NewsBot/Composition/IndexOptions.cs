using System.ComponentModel.DataAnnotations;

namespace NewsBot.Host.Composition;

/// <summary>Settings of the <c>Index</c> section: which passage index to use and, for the embedded one, where.</summary>
public sealed class IndexOptions
{
    public const string SectionName = "Index";

    /// <summary><c>sqlite</c> (the embedded default) or <c>qdrant</c> (Index:Provider).</summary>
    [Required]
    [RegularExpression("^(?i)(sqlite|qdrant)$", ErrorMessage = "Index:Provider must be 'sqlite' or 'qdrant'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>The SQLite index file (Index:Path, or the global --index option).</summary>
    [Required(ErrorMessage = "Index:Path must name the index file.")]
    public string Path { get; set; } = "newsbot.db";

    public bool IsQdrant => string.Equals(Provider, "qdrant", StringComparison.OrdinalIgnoreCase);
}
