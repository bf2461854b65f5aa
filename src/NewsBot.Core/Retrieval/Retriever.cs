using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Indexing;
using NewsBot.Core.Text;

namespace NewsBot.Core.Retrieval;

/// <summary>
/// Finds the passages for a question: the index's dense and lexical candidate lists, fused here (<see cref="RankFusion"/>), then a news-aware
/// re-ranking (as-of filter, recency prior), near-duplicate collapse and a per-article cap.
/// </summary>
public sealed class Retriever
{
    private const double AuthorBylineBoost = 1.5;

    private readonly IPassageIndex _index;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly RetrievalOptions _options;
    private readonly TimeProvider _time;

    public Retriever(IPassageIndex index, IEmbeddingGenerator<string, Embedding<float>> embedder, IOptions<RetrievalOptions> options, TimeProvider? time = null)
    {
        _index = index;
        _embedder = embedder;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
    }

    public RetrievalOptions Options => _options;

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var k = request.K ?? _options.TopK;
        var asOf = request.AsOf ?? _time.GetUtcNow();
        var terms = SearchTokenizer.Tokenize(request.Query);
        var embedding = await _embedder.GenerateAsync([request.Query], cancellationToken: cancellationToken);
        var vector = embedding[0].Vector;

        var to = request.To is { } until && until < asOf ? until : asOf;
        var filter = new PassageFilter
        {
            Sources = request.Sources,
            Authors = request.Authors,
            From = request.From,
            To = to,
            // An as-of date keeps undated articles (the samples have none); an explicit date range does not.
            IncludeUndated = request.From is null && request.To is null,
        };
        var depth = Math.Max(_options.Candidates, k);
        var lists = await _index.SearchAsync(new PassageQuery(request.Query, terms, vector, filter, depth), cancellationToken);
        var candidates = RankFusion.Fuse(lists, _options.DenseWeight, _options.LexicalWeight, _options.RrfK);
        return Rerank(candidates, asOf, k, Bylines.AsksForAuthor(request.Query));
    }

    internal IReadOnlyList<RetrievedPassage> Rerank(IReadOnlyList<PassageCandidate> candidates, DateTimeOffset asOf, int k, bool authorQuestion = false)
    {
        var scored = new List<(PassageCandidate Candidate, double Score)>(candidates.Count);
        foreach (var candidate in candidates)
        {
            var score = candidate.Score * RecencyFactor(candidate.Passage.Published, asOf);
            // "Who wrote …" shares no words with the byline that answers it; lift the passages that carry one.
            if (authorQuestion && Bylines.ContainsByline(candidate.Passage.Text))
                score *= AuthorBylineBoost;
            scored.Add((candidate, score));
        }
        scored.Sort(static (a, b) => b.Score.CompareTo(a.Score));

        var picked = new List<(PassageCandidate Candidate, double Score, HashSet<ulong> Shingles)>(k);
        var perArticle = new Dictionary<string, int>(StringComparer.Ordinal);
        var capped = new List<(PassageCandidate Candidate, double Score, HashSet<ulong> Shingles)>();
        foreach (var (candidate, score) in scored)
        {
            if (picked.Count == k)
                break;
            var shingles = Shingles.Of(candidate.Passage.Text);
            if (picked.Any(p => Shingles.Overlap(p.Shingles, shingles) >= _options.NearDuplicateThreshold))
                continue;
            var articleId = candidate.Passage.ArticleId;
            if (perArticle.GetValueOrDefault(articleId) >= _options.MaxPassagesPerArticle)
            {
                capped.Add((candidate, score, shingles));
                continue;
            }
            picked.Add((candidate, score, shingles));
            perArticle[articleId] = perArticle.GetValueOrDefault(articleId) + 1;
        }
        // The cap spreads the top k over articles; when there are too few other articles to fill it, the best
        // capped-out passages fill the rest rather than leaving the answerer with less than it asked for.
        foreach (var item in capped)
        {
            if (picked.Count == k)
                break;
            picked.Add(item);
        }
        picked.Sort(static (a, b) => b.Score.CompareTo(a.Score));

        return picked.Select((p, i) => new RetrievedPassage(i + 1, p.Candidate.Passage, p.Score, p.Candidate.Similarity)).ToList();
    }

    /// <summary>1 + weight · 2^(−age / half-life): an article published at the as-of date gets the full bonus.</summary>
    internal double RecencyFactor(DateTimeOffset? published, DateTimeOffset asOf)
    {
        if (published is null || _options.RecencyHalfLifeDays <= 0 || _options.RecencyWeight <= 0)
            return 1;
        var ageDays = Math.Max(0, (asOf - published.Value).TotalDays);
        return 1 + (_options.RecencyWeight * Math.Pow(2, -ageDays / _options.RecencyHalfLifeDays));
    }
}
