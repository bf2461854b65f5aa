namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// The prompt files as functions a language model runs: the seam between Core's answering (which checks what comes
/// back) and the Semantic Kernel adapter (which renders the prompt, sends it and streams the reply). Arguments are the
/// prompt's input variables; values are encoded by the renderer, never trusted as markup.
/// </summary>
public interface IPromptFunctions
{
    /// <summary>Whether a prompt of this name was loaded.</summary>
    bool Contains(string prompt);

    /// <summary>
    /// Renders the prompt without calling the model and returns the text of its system messages: the instructions an
    /// answer must never repeat. Throws when the prompt cannot be rendered (a missing required variable).
    /// </summary>
    Task<string> RenderSystemTextAsync(string prompt, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken);

    /// <summary>Runs the prompt and returns the model's reply.</summary>
    Task<string> InvokeAsync(string prompt, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken);

    /// <summary>Runs the prompt and streams the model's reply as it arrives.</summary>
    IAsyncEnumerable<string> InvokeStreamingAsync(string prompt, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken);
}
