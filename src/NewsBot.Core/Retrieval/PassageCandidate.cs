using NewsBot.Core.Passages;

namespace NewsBot.Core.Retrieval;

/// <summary>A passage after fusion of the index's candidate lists.</summary>
/// <param name="Score">The weighted reciprocal-rank-fusion score; higher is better.</param>
/// <param name="DenseRank">1-based rank in the dense list, or null when the passage was not a dense candidate.</param>
/// <param name="LexicalRank">1-based rank in the lexical list, or null when it was not a lexical candidate.</param>
/// <param name="Similarity">Cosine similarity to the question when the dense list holds the passage; 0 otherwise.</param>
public sealed record PassageCandidate(Passage Passage, double Score, int? DenseRank, int? LexicalRank, float Similarity);
