using Microsoft.Extensions.AI;

namespace NewsBot.Core.Answering.Prompts;

/// <summary>A prompt ready to send: its chat messages and the options from its execution settings.</summary>
public sealed record RenderedPrompt(IReadOnlyList<ChatMessage> Messages, ChatOptions Options)
{
    /// <summary>The text of the system messages: the instructions, which an answer must never repeat.</summary>
    public string SystemText => string.Join("\n", Messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text));
}
