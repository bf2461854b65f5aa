using System.Net.Http;
using System.Net.Sockets;

namespace NewsBot.Host.Commands;

/// <summary>Turns the failures a user can meet into one line that says what happened and what to do.</summary>
internal static class FailureMessages
{
    public static string? Describe(Exception exception) => exception switch
    {
        NewsBot.Core.Feedback.FeedbackStoreException ex => ex.Message,
        FileNotFoundException ex => $"file not found: {ex.FileName ?? ex.Message}",
        DirectoryNotFoundException ex => ex.Message,
        UnauthorizedAccessException ex => $"permission denied: {ex.Message}",
        FormatException ex => ex.Message,
        HttpRequestException ex => $"a request failed: {ex.Message}",
        SocketException ex => $"a connection failed: {ex.Message}",
        IOException ex => ex.Message,
        InvalidOperationException ex => ex.Message,
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
