using System.Text.Json;
using System.Text.Json.Serialization;
using NewsBot.Core.Evaluation;
using NewsBot.Core.Feedback;

namespace NewsBot.Host.Output;

/// <summary>The JSON shapes the commands print with --json; their field names are an interface.</summary>
internal sealed record AskJson(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("refused")] bool Refused,
    [property: JsonPropertyName("citations")] IReadOnlyList<CitationJson> Citations,
    [property: JsonPropertyName("notice")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Notice);

internal sealed record CitationJson(
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("article_id")] string ArticleId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("quote")] string Quote,
    [property: JsonPropertyName("authors")] IReadOnlyList<string> Authors);

internal sealed record SearchJson(
    [property: JsonPropertyName("query")] string Query,
    [property: JsonPropertyName("results")] IReadOnlyList<SearchResultJson> Results);

/// <param name="Score">The share of the query's search words the passage holds, 0 to 1.</param>
/// <param name="Highlights">[start, length] of each query word in <paramref name="Snippet"/>.</param>
internal sealed record SearchResultJson(
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("similarity")] double Similarity,
    [property: JsonPropertyName("matched")] IReadOnlyList<string> Matched,
    [property: JsonPropertyName("article_id")] string ArticleId,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("snippet")] string Snippet,
    [property: JsonPropertyName("highlights")] IReadOnlyList<int[]> Highlights,
    [property: JsonPropertyName("text")] string Text);

internal sealed record StatsJson(
    [property: JsonPropertyName("index")] string Index,
    [property: JsonPropertyName("articles")] long Articles,
    [property: JsonPropertyName("passages")] long Passages,
    [property: JsonPropertyName("sources")] long Sources,
    [property: JsonPropertyName("oldest")] string? Oldest,
    [property: JsonPropertyName("newest")] string? Newest,
    [property: JsonPropertyName("embedder")] string? Embedder,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string> Details,
    [property: JsonPropertyName("feeds")] IReadOnlyList<FeedJson> Feeds);

/// <summary>A configured feed in <c>stats</c>: when it was last polled, how that went, and the articles it brought.</summary>
internal sealed record FeedJson(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("last_poll")] DateTimeOffset? LastPoll,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("articles")] int Articles);

internal sealed record SourcesJson(
    [property: JsonPropertyName("sources")] IReadOnlyList<SourceJson> Sources);

internal sealed record SourceJson(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("articles")] long Articles,
    [property: JsonPropertyName("oldest")] string? Oldest,
    [property: JsonPropertyName("newest")] string? Newest);

internal sealed record BenchJson(
    [property: JsonPropertyName("questions")] int Questions,
    [property: JsonPropertyName("runs")] int Runs,
    [property: JsonPropertyName("search_p50_ms")] double SearchP50Ms,
    [property: JsonPropertyName("search_p95_ms")] double SearchP95Ms,
    [property: JsonPropertyName("ask_p50_ms")] double AskP50Ms,
    [property: JsonPropertyName("ask_p95_ms")] double AskP95Ms,
    [property: JsonPropertyName("peak_memory_mb")] double PeakMemoryMb);

internal sealed record FeedbackListJson(
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("votes")] IReadOnlyList<FeedbackVote> Votes,
    [property: JsonPropertyName("unreadable")] int Unreadable);

[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AskJson))]
[JsonSerializable(typeof(SearchJson))]
[JsonSerializable(typeof(StatsJson))]
[JsonSerializable(typeof(EvalReport))]
[JsonSerializable(typeof(BenchJson))]
[JsonSerializable(typeof(SourcesJson))]
[JsonSerializable(typeof(FeedbackListJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Keeps apostrophes, quotes inside text and accented letters readable (<c>don't</c>, not <c>don\u0027t</c>): the
    /// default encoder escapes everything that could be unsafe inside HTML, which this output never goes into. What
    /// JSON requires (quotes, backslashes, control characters) is still escaped, so the output stays valid JSON.
    /// </summary>
    private static readonly CliJsonContext Readable = new(new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    });

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, typeof(T), Readable);
}
