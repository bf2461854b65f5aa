using System.ComponentModel.DataAnnotations;

namespace NewsBot.Core.Retrieval;

/// <summary>Settings of the <c>Retrieval</c> section.</summary>
public sealed class RetrievalOptions
{
    public const string SectionName = "Retrieval";

    /// <summary>Passages handed to the answerer and shown by <c>search</c> (Retrieval:TopK).</summary>
    [Range(1, 50)]
    public int TopK { get; set; } = 5;

    /// <summary>
    /// How deep each of the index's candidate lists (dense and lexical) is before fusion, the recency prior,
    /// de-duplication and the per-article cap (Retrieval:Candidates). The one candidate depth: no index adds its own.
    /// </summary>
    [Range(10, 1000)]
    public int Candidates { get; set; } = 500;

    /// <summary>
    /// The rank constant of the fusion, 1 / (k + rank) (Retrieval:RrfK): smaller values let the top ranks count for
    /// more against the recency prior.
    /// </summary>
    [Range(1, 1000)]
    public int RrfK { get; set; } = 60;

    /// <summary>Weight of the lexical (BM25) ranking in the fusion (Retrieval:LexicalWeight).</summary>
    [Range(0, 10)]
    public double LexicalWeight { get; set; } = 1.0;

    /// <summary>Weight of the dense (embedding) ranking in the fusion (Retrieval:DenseWeight).</summary>
    [Range(0, 10)]
    public double DenseWeight { get; set; } = 0.25;

    /// <summary>At most this many passages of one article in the top k (Retrieval:MaxPassagesPerArticle).</summary>
    [Range(1, 50)]
    public int MaxPassagesPerArticle { get; set; } = 1;

    /// <summary>Days after which the recency bonus of an article halves (Retrieval:RecencyHalfLifeDays); 0 turns the prior off.</summary>
    [Range(0, 36500)]
    public double RecencyHalfLifeDays { get; set; } = 7;

    /// <summary>How strongly recency counts: the bonus of an article published at the as-of date (Retrieval:RecencyWeight).</summary>
    [Range(0, 10)]
    public double RecencyWeight { get; set; } = 3;

    /// <summary>
    /// For <c>search</c>: a passage that holds none of the query's words is shown only when its cosine similarity to
    /// the query reaches this (Retrieval:SearchSimilarityFloor), so gibberish gives "no matches" rather than noise.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SearchSimilarityFloor { get; set; } = 0.35;

    /// <summary>Word-shingle overlap above which two passages count as the same story and only the better one is kept.</summary>
    [Range(0.1, 1.0)]
    public double NearDuplicateThreshold { get; set; } = 0.6;
}
