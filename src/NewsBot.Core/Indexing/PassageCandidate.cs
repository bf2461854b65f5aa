using NewsBot.Core.Passages;

namespace NewsBot.Core.Indexing;

/// <param name="Score">The fused (RRF) score; higher is better.</param>
/// <param name="DenseRank">1-based rank in the dense list, or null when the passage was not a dense candidate.</param>
/// <param name="LexicalRank">1-based rank in the lexical list, or null when it was not a lexical candidate.</param>
/// <param name="Similarity">Cosine similarity between the query vector and the passage vector.</param>
public sealed record PassageCandidate(Passage Passage, double Score, int? DenseRank, int? LexicalRank, float Similarity);
