namespace NewsBot.TestSupport.OpenAI;

/// <summary>An embeddings request as the fake server received it.</summary>
public sealed record FakeEmbeddingRequest(string Model, IReadOnlyList<string> Input, int? Dimensions, string? EncodingFormat, string? Authorization);
