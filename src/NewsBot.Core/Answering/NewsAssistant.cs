using System.Runtime.CompilerServices;
using NewsBot.Core.Indexing;
using NewsBot.Core.Retrieval;

namespace NewsBot.Core.Answering;

/// <summary>
/// The one entry point both front ends (the <c>newsbot</c> command and the Discord bot) use: ask, search, stats.
/// Follow-up questions are made standalone before retrieval by the configured <see cref="IQuestionRewriter"/>.
/// </summary>
public sealed class NewsAssistant
{
    private readonly Retriever _retriever;
    private readonly IAnswerer _answerer;
    private readonly IPassageIndex _index;
    private readonly IQuestionRewriter? _rewriter;

    public NewsAssistant(Retriever retriever, IAnswerer answerer, IPassageIndex index, IQuestionRewriter? rewriter = null)
    {
        _retriever = retriever;
        _answerer = answerer;
        _index = index;
        _rewriter = rewriter;
    }

    public async Task<Answer> AskAsync(AskRequest request, CancellationToken cancellationToken)
    {
        var answerRequest = await PrepareAsync(request, cancellationToken);
        return await _answerer.AnswerAsync(answerRequest, cancellationToken);
    }

    /// <summary>Streams the answer as it is made; the last update carries the final checked answer.</summary>
    public async IAsyncEnumerable<AnswerUpdate> AskStreamingAsync(AskRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answerRequest = await PrepareAsync(request, cancellationToken);
        await foreach (var update in _answerer.StreamAsync(answerRequest, cancellationToken))
            yield return update;
    }

    public Task<IReadOnlyList<RetrievedPassage>> SearchAsync(RetrievalRequest request, CancellationToken cancellationToken) =>
        _retriever.RetrieveAsync(request, cancellationToken);

    /// <summary>
    /// Search as <c>newsbot search</c> shows it: each passage with a snippet on its best-matching sentence and the
    /// share of the query's words it holds. Passages that hold none of them and are not similar enough
    /// (Retrieval:SearchSimilarityFloor) are left out, so a query that matches nothing finds nothing.
    /// </summary>
    public async Task<IReadOnlyList<SearchHit>> FindAsync(RetrievalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var passages = await _retriever.RetrieveAsync(request, cancellationToken);
        var terms = Text.SearchTokenizer.Tokenize(request.Query);
        var floor = _retriever.Options.SearchSimilarityFloor;
        var hits = passages.Select(p => SearchSnippets.For(p, terms)).Where(h => h.Coverage > 0 || h.Passage.Similarity >= floor).ToList();
        // Numbered again, so the ranks shown run 1, 2, 3 after anything was left out.
        return [.. hits.Select((h, i) => h with { Passage = h.Passage with { Number = i + 1 } })];
    }

    /// <summary>Where answers come from (the index file, or the Qdrant collection), as recorded with feedback.</summary>
    public string IndexLocation => _index.Location;

    public Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => _index.GetStatisticsAsync(cancellationToken);

    public Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken) =>
        _index.GetSourcesAsync(prefix, limit, cancellationToken);

    private async Task<AnswerRequest> PrepareAsync(AskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var question = request.Question.Trim();
        var standalone = request.History.Count > 0 && _rewriter is not null
            ? await _rewriter.RewriteAsync(question, request.History, cancellationToken)
            : question;
        var passages = await _retriever.RetrieveAsync(new RetrievalRequest(standalone) { AsOf = request.AsOf, Sources = request.Sources, Authors = request.Authors }, cancellationToken);
        return new AnswerRequest(standalone, passages, request.History);
    }
}
