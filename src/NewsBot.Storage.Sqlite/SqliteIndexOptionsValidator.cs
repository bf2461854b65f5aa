using Microsoft.Extensions.Options;

namespace NewsBot.Storage.Sqlite;

/// <summary>Checks the <c>Index</c> section for the embedded index at start (<c>ValidateOnStart</c>).</summary>
internal sealed class SqliteIndexOptionsValidator : IValidateOptions<SqliteIndexOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
            return ValidateOptionsResult.Fail("Index:Path must name the index file, for example newsbot.db (or pass --index).");
        if (options.Path.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            return ValidateOptionsResult.Fail($"Index:Path '{options.Path}' is not a valid file path.");
        return ValidateOptionsResult.Success;
    }
}
