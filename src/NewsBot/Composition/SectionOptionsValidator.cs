using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NewsBot.Host.Composition;

/// <summary>
/// Checks an options class's data annotations for the options pattern (and so for <c>ValidateOnStart</c>), with each
/// message naming its key as <c>Section:Key</c>. The stock DataAnnotations validator names the class and member
/// instead, which does not tell a user what to set.
/// </summary>
internal sealed class SectionOptionsValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(r => r.MemberNames.FirstOrDefault() is { } member && !(r.ErrorMessage ?? "").Contains(section + ":", StringComparison.Ordinal)
            ? $"{section}:{member}: {r.ErrorMessage}"
            : r.ErrorMessage ?? $"A {section}: setting is not valid."));
    }
}
