namespace NewsBot.Storage.Sqlite;

/// <summary>Settings of the embedded index, bound from the <c>Index</c> section.</summary>
public sealed class SqliteIndexOptions
{
    public const string SectionName = "Index";

    /// <summary>The index file (<c>Index:Path</c>); relative paths are resolved against the current directory.</summary>
    public string Path { get; set; } = "newsbot.db";
}
