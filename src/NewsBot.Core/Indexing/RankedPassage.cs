using NewsBot.Core.Passages;

namespace NewsBot.Core.Indexing;

/// <summary>One entry of a candidate list: the passage and the raw score that ranked it (cosine or BM25).</summary>
public sealed record RankedPassage(Passage Passage, double Score);
