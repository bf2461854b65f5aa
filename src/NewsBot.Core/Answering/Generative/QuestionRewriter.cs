using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Answering.Prompts;
using NewsBot.Core.Text;

namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// Makes a follow-up question standalone before retrieval. With a chat model it asks the model, through the
/// <c>rewrite_question</c> prompt file; without one (or when the model fails or replies with something unusable) it
/// carries the previous question's key terms over to a question that looks like a follow-up: one with a pronoun
/// that points back ("it", "they", "there", ...) or with at most two content words ("And in Kenya?").
/// </summary>
public sealed partial class QuestionRewriter : IQuestionRewriter
{
    public const string PromptName = "rewrite_question";

    /// <summary>A rewrite longer than this is an answer or a ramble, not a question.</summary>
    private const int MaxRewriteChars = 400;

    private static readonly HashSet<string> PointingWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "he", "him", "his", "she",
        "her", "hers", "there", "then",
    };

    private readonly IPromptFunctions? _prompts;
    private readonly ILogger _logger;

    /// <param name="chatClient">The chat model, or null to rewrite by carrying key terms over.</param>
    /// <param name="prompts">The prompt library holding <c>rewrite_question</c>; needed only with a chat model.</param>
    /// <param name="prompts">The model's prompt functions; null rewrites without a model (key words carried over).</param>
    public QuestionRewriter(IPromptFunctions? prompts, ILogger<QuestionRewriter>? logger = null)
    {
        if (prompts is not null && !prompts.Contains(PromptName))
            throw new PromptException($"There is no prompt '{PromptName}' in the prompts folder (rewrite-question.yaml).");
        _prompts = prompts;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<string> RewriteAsync(string question, IReadOnlyList<ConversationTurn> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(history);
        question = question.Trim();
        if (history.Count == 0 || question.Length == 0)
            return question;
        if (_prompts is null)
            return CarryOver(question, history);

        var arguments = new Dictionary<string, object?>
        {
            ["question"] = question,
            ["history"] = history.TakeLast(5).Select(t => new Dictionary<string, object?>
            {
                ["question"] = t.Question,
                ["answer"] = CitationMarkers.Remove(t.Answer).Trim(),
            }).ToList(),
        };
        try
        {
            var reply = await _prompts.InvokeAsync(PromptName, arguments, cancellationToken).ConfigureAwait(false);
            var rewritten = Clean(reply);
            if (rewritten is not null)
            {
                LogRewritten(_logger, question, rewritten);
                return rewritten;
            }
            LogUnusable(_logger);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, ex is ModelUnavailableException ? ex.Message : ex.GetType().Name);
        }
        return CarryOver(question, history);
    }

    /// <summary>The question with the previous question's content words that it lacks, when it looks like a follow-up.</summary>
    internal static string CarryOver(string question, IReadOnlyList<ConversationTurn> history)
    {
        var words = Words(question);
        var content = SearchTokenizer.ContentWords(question);
        var followUp = content.Count <= 2 || words.Any(PointingWords.Contains);
        if (!followUp || history.Count == 0)
            return question;
        var carried = new List<string>();
        var seen = new HashSet<string>(content, StringComparer.Ordinal);
        foreach (var word in Words(history[^1].Question))
        {
            var tokens = SearchTokenizer.Tokenize(word);
            if (tokens.Count == 0 || tokens.All(seen.Contains))
                continue;
            seen.UnionWith(tokens);
            carried.Add(word);
        }
        return carried.Count == 0 ? question : $"{question} {string.Join(' ', carried)}";
    }

    private static string? Clean(string reply)
    {
        var text = AnswerSanitizer.RemoveReasoning(TextNormalizer.Normalize(reply));
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (line is null)
            return null;
        line = Label().Replace(line, "").Trim().Trim('"', '\'', '“', '”', '`').Trim();
        return line.Length == 0 || line.Length > MaxRewriteChars ? null : line;
    }

    private static List<string> Words(string text) => [.. WordRegex().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"^(?:standalone question|rewritten question|question)\s*:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Label();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’\-]*")]
    private static partial Regex WordRegex();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rewrote the follow-up '{Question}' as '{Rewritten}'")]
    private static partial void LogRewritten(ILogger logger, string question, string rewritten);

    [LoggerMessage(Level = LogLevel.Information, Message = "The model's rewrite of a follow-up was unusable; carrying key terms over instead")]
    private static partial void LogUnusable(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not rewrite a follow-up with the model ({Reason}); carrying key terms over instead")]
    private static partial void LogFailed(ILogger logger, string reason);
}
