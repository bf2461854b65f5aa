using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering.Prompts;

namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// Answers with a language model through the answer prompt function (<see cref="IPromptFunctions"/>: a Semantic Kernel
/// function in the host), then checks every sentence and citation of the reply
/// against the passages the model was given (see <see cref="AnswerChecker"/>). When the model cannot be reached, or
/// nothing it wrote stands on the passages, the fallback answerer (the extractive one) answers instead, with a notice.
/// </summary>
public sealed partial class GenerativeAnswerer : IAnswerer
{
    /// <summary>The longest earlier answer shown to the model, in characters.</summary>
    private const int HistoryAnswerChars = 500;

    private readonly IPromptFunctions _prompts;
    private readonly IAnswerer _fallback;
    private readonly ModelAnswerOptions _options;
    private readonly ILogger _logger;

    public GenerativeAnswerer(IPromptFunctions prompts, IAnswerer fallback, IOptions<ModelAnswerOptions> options, ILogger<GenerativeAnswerer> logger)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(fallback);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _prompts = prompts;
        _fallback = fallback;
        _options = options.Value;
        _logger = logger;
        // Fail at start, not at the first question, when the prompt file is missing.
        if (!_prompts.Contains(_options.Prompt))
            throw new PromptException($"There is no prompt '{_options.Prompt}' (Answer:Model:Prompt) in the prompts folder.");
    }

    public async Task<Answer> AnswerAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Passages.Count == 0)
            return Answer.Refusal(request.Question, request.Passages);
        string reply;
        Call call;
        try
        {
            call = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
            reply = await _prompts.InvokeAsync(_options.Prompt, call.Arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsModelFailure(ex, cancellationToken))
        {
            return await FallBackAsync(request, ex, cancellationToken).ConfigureAwait(false);
        }
        return await FinishAsync(request, call, reply, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams the model's text as it arrives (hidden reasoning, foreign links, mentions and repeated instructions
    /// already taken care of, but citations not yet checked); the last update carries the checked answer, the same <see cref="AnswerAsync"/> would give.
    /// </summary>
    public async IAsyncEnumerable<AnswerUpdate> StreamAsync(AnswerRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Passages.Count == 0)
        {
            var refusal = Answer.Refusal(request.Question, request.Passages);
            yield return new AnswerUpdate(refusal.Text, refusal);
            yield break;
        }
        var text = new StringBuilder();
        Exception? failure = null;
        Call? call = null;
        try
        {
            call = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsModelFailure(ex, cancellationToken))
        {
            failure = ex;
        }
        var updates = call is null
            ? AsyncEnumerable.Empty<string>().GetAsyncEnumerator(cancellationToken)
            : _prompts.InvokeStreamingAsync(_options.Prompt, call.Arguments, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        break;
                }
                catch (Exception ex) when (IsModelFailure(ex, cancellationToken))
                {
                    failure = ex;
                    break;
                }
                var chunk = updates.Current;
                if (string.IsNullOrEmpty(chunk))
                    continue;
                text.Append(chunk);
                yield return new AnswerUpdate(call!.Checker.Display(text.ToString()), null);
            }
        }
        var final = failure is not null || call is null
            ? await FallBackAsync(request, failure ?? new InvalidOperationException("the prompt was not prepared"), cancellationToken).ConfigureAwait(false)
            : await FinishAsync(request, call, text.ToString(), cancellationToken).ConfigureAwait(false);
        yield return new AnswerUpdate(final.Text, final);
    }

    private async Task<Call> PrepareAsync(AnswerRequest request, CancellationToken cancellationToken)
    {
        var given = ContextBudget.Select(request.Passages, _options.ContextTokenBudget);
        if (given.Count < request.Passages.Count)
            LogBudget(_logger, request.Passages.Count - given.Count, _options.ContextTokenBudget);
        var sources = given.Select(g => new Dictionary<string, object?>
        {
            ["number"] = g.Passage.Number,
            ["title"] = SourceFence.Neutralize(g.Passage.Passage.Title),
            ["publisher"] = SourceFence.Neutralize(g.Passage.Passage.Source),
            ["date"] = g.Passage.Passage.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            ["url"] = SourceFence.Neutralize(g.Passage.Passage.Url),
            ["text"] = SourceFence.Neutralize(g.Text),
        }).ToList();
        var history = request.History
            .TakeLast(_options.HistoryTurns)
            .Select(turn => new Dictionary<string, object?>
            {
                ["question"] = SourceFence.Neutralize(turn.Question),
                ["answer"] = SourceFence.Neutralize(Shorten(CitationMarkers.Remove(turn.Answer).Trim(), HistoryAnswerChars)),
            })
            .ToList();
        var arguments = new Dictionary<string, object?>
        {
            ["question"] = SourceFence.Neutralize(request.Question),
            ["sources"] = sources,
            ["history"] = history,
            ["refusal"] = _options.RefusalPhrase,
            ["max_sentences"] = _options.MaxSentences,
        };
        var systemText = await _prompts.RenderSystemTextAsync(_options.Prompt, arguments, cancellationToken).ConfigureAwait(false);
        var checker = new AnswerChecker(request.Question, request.Passages, given.Select(g => g.Passage), _options, new PromptLeakDetector(systemText));
        return new Call(arguments, checker);
    }

    private async Task<Answer> FinishAsync(AnswerRequest request, Call call, string reply, CancellationToken cancellationToken)
    {
        var result = call.Checker.Check(reply);
        LogChecked(_logger, result.KeptSentences, result.RemovedSentences, result.DroppedCitations);
        if (result.Answer is not null)
            return result.Answer;
        LogUnsupported(_logger);
        var fallback = await _fallback.AnswerAsync(request, cancellationToken).ConfigureAwait(false);
        return fallback with { Notice = "The language model's answer could not be checked against the articles, so this answer was taken from them directly." };
    }

    private async Task<Answer> FallBackAsync(AnswerRequest request, Exception failure, CancellationToken cancellationToken)
    {
        var reason = failure is ModelUnavailableException ? failure.Message.TrimEnd('.') : "the model endpoint failed";
        LogModelFailed(_logger, reason);
        LogModelFailureDetail(_logger, failure);
        var fallback = await _fallback.AnswerAsync(request, cancellationToken).ConfigureAwait(false);
        return fallback with { Notice = $"The language model could not be used ({reason}), so this answer was taken from the articles without it." };
    }

    /// <summary>Any failure of the model call except the caller's own cancellation: an answer is always better than an error.</summary>
    private static bool IsModelFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Left {Dropped} lower-ranked passages out of the prompt to fit {Budget} tokens")]
    private static partial void LogBudget(ILogger logger, int dropped, int budget);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checked the model's answer: {Kept} supported sentences kept, {Removed} removed, {Dropped} invalid citations dropped")]
    private static partial void LogChecked(ILogger logger, int kept, int removed, int dropped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Nothing in the model's answer stood on the passages; answering without the model")]
    private static partial void LogUnsupported(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The language model could not be used ({Reason}); answering without it")]
    private static partial void LogModelFailed(ILogger logger, string reason);

    // The one-line reason above is what users see; the exception is for whoever turns on debug logging.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Model failure detail")]
    private static partial void LogModelFailureDetail(ILogger logger, Exception exception);

    private sealed record Call(IReadOnlyDictionary<string, object?> Arguments, AnswerChecker Checker);
}
