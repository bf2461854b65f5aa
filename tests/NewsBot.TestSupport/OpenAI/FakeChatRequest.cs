using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.OpenAI;

/// <summary>A chat completions request as the fake server received it.</summary>
public sealed record FakeChatRequest(
    string Model,
    IReadOnlyList<FakeChatMessage> Messages,
    double? Temperature,
    int? MaxTokens,
    int? MaxCompletionTokens,
    bool Stream,
    string? Authorization,
    JsonObject Body)
{
    public string SystemText => string.Join("\n", Messages.Where(m => m.Role == "system").Select(m => m.Content));

    public string UserText => string.Join("\n", Messages.Where(m => m.Role == "user").Select(m => m.Content));
}
