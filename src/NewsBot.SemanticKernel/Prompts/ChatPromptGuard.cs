using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace NewsBot.SemanticKernel.Prompts;

/// <summary>
/// A prompt-render filter that fails closed. Semantic Kernel sends a rendered prompt that does not parse into the
/// <c>&lt;message role="…"&gt;</c> blocks its template declares as one user message, and the system rules are then
/// lost without a word; this filter compares the blocks the template declares with those the rendered prompt holds,
/// well formed, and refuses the prompt (it never reaches the model) with a log line naming it.
/// </summary>
public sealed partial class ChatPromptGuard(Core.Answering.Prompts.PromptLibrary library, ILogger<ChatPromptGuard> logger) : IPromptRenderFilter
{
    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        var name = context.Function.Name;
        // Only NewsBot's own prompt files are checked; a function a user adds to the kernel is theirs to guard.
        if (!library.Contains(name))
            return;
        var template = library.Get(name).Template;
        var declared = DeclaredRoles(template);
        if (declared.Count == 0)
            return;
        var rendered = context.RenderedPrompt ?? "";
        var found = Core.Answering.Prompts.PromptLibrary.MessageRoles(rendered);
        var wellFormed = OpenTag().Count(rendered) == CloseTag().Count(rendered) && found.Count == OpenTag().Count(rendered);
        if (!wellFormed || !found.SequenceEqual(declared))
        {
            LogRefused(logger, name, string.Join(", ", declared), string.Join(", ", found));
            throw new PromptRefusedException(
                $"The prompt '{name}' did not render into its {string.Join(" and ", declared)} messages, so it was not sent (the rules would have been lost). Check the prompt file.");
        }
    }

    /// <summary>The roles the template opens messages for, whether or not it closes them.</summary>
    private static List<string> DeclaredRoles(string text) =>
        [.. OpenRole().Matches(text).Select(m => m.Groups["role"].Value.ToLowerInvariant())];

    [GeneratedRegex("""<message\s+role\s*=\s*["'](?<role>[^"']+)["']\s*>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenRole();

    [GeneratedRegex("""<message\b""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OpenTag();

    [GeneratedRegex("""</message\s*>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CloseTag();

    [LoggerMessage(Level = LogLevel.Error, Message = "Refused the prompt {Prompt}: its template declares the messages {Declared}, the rendered prompt holds {Found}")]
    private static partial void LogRefused(ILogger logger, string prompt, string declared, string found);
}

/// <summary>A rendered prompt was refused before it reached the model (see <see cref="ChatPromptGuard"/>).</summary>
public sealed class PromptRefusedException : Exception
{
    public PromptRefusedException() { }

    public PromptRefusedException(string message) : base(message) { }

    public PromptRefusedException(string message, Exception innerException) : base(message, innerException) { }
}
