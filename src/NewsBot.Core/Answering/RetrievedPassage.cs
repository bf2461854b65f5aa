using NewsBot.Core.Passages;

namespace NewsBot.Core.Answering;

/// <summary>A passage as handed to an answerer: <see cref="Number"/> is its 1-based <c>[n]</c> in the prompt.</summary>
/// <param name="Similarity">Cosine similarity of the passage to the question; answerers use it to judge evidence strength.</param>
public sealed record RetrievedPassage(int Number, Passage Passage, double Score, float Similarity);
