using System.Text.Json;
using System.Text.Json.Serialization;
using NewsBot.Core.Evaluation;

namespace NewsBot.Core.Feedback;

/// <summary>How votes are written: one compact JSON object, the same in the JSON Lines file and the index's table.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FeedbackVote))]
[JsonSerializable(typeof(EvalQuestion))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext;

public static class FeedbackJson
{
    public static string Serialize(FeedbackVote vote) => JsonSerializer.Serialize(vote, FeedbackJsonContext.Default.FeedbackVote);

    /// <summary>A stored vote, or null when the text is not one (damaged, or missing a required field).</summary>
    public static FeedbackVote? TryDeserialize(string text)
    {
        try
        {
            var vote = JsonSerializer.Deserialize(text, FeedbackJsonContext.Default.FeedbackVote);
            return vote is { Vote: FeedbackVote.Up or FeedbackVote.Down } && vote.AnswerId.Length > 0 && vote.UserId.Length > 0 ? vote : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
