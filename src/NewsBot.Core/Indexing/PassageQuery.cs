namespace NewsBot.Core.Indexing;

/// <param name="Text">The question as asked, for display and logging.</param>
/// <param name="Terms">Lexical terms from <see cref="Text.SearchTokenizer"/>, the same tokens the index stored.</param>
/// <param name="Vector">The embedded question.</param>
/// <param name="Depth">How many candidates each list returns at most (Retrieval:Candidates); no index adds its own.</param>
public sealed record PassageQuery(string Text, IReadOnlyList<string> Terms, ReadOnlyMemory<float> Vector, PassageFilter Filter, int Depth);
