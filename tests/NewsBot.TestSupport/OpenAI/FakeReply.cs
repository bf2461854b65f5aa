namespace NewsBot.TestSupport.OpenAI;

/// <summary>
/// What the fake server answers to one request: a chat reply (<see cref="Text"/>, streamed in
/// <see cref="ChunkSize"/>-character pieces when the request asks for a stream), or an error status with an
/// OpenAI-style error body and an optional Retry-After.
/// </summary>
public sealed record FakeReply
{
    public int Status { get; init; } = 200;

    public string Text { get; init; } = "";

    public TimeSpan? RetryAfter { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>Never answer: the request waits until the client gives up (its timeout) or the server stops.</summary>
    public bool Hang { get; init; }

    /// <summary>Characters per streamed chunk.</summary>
    public int ChunkSize { get; init; } = 7;

    public static FakeReply Chat(string text) => new() { Text = text };

    public static FakeReply Error(int status, string message, string? code = null, TimeSpan? retryAfter = null) =>
        new() { Status = status, ErrorMessage = message, ErrorCode = code, RetryAfter = retryAfter };

    public static FakeReply Hanging() => new() { Hang = true };

    public static FakeReply RateLimited(TimeSpan retryAfter) =>
        Error(429, "Rate limit reached for requests", "rate_limit_exceeded", retryAfter);

    public static FakeReply ServerError() => Error(500, "The server had an error while processing your request.", "server_error");
}
