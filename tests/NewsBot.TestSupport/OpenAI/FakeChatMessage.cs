namespace NewsBot.TestSupport.OpenAI;

public sealed record FakeChatMessage(string Role, string Content);
