using Microsoft.Extensions.Options;

namespace NewsBot.Qdrant;

/// <summary>Runs <see cref="QdrantOptions.Validate"/> for the options pattern (and so for <c>ValidateOnStart</c>).</summary>
internal sealed class QdrantOptionsValidator : IValidateOptions<QdrantOptions>
{
    public ValidateOptionsResult Validate(string? name, QdrantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
