namespace NewsBot.Core.Indexing;

/// <summary>Names the embedder that built an index, so that vectors from two embedders are never mixed.</summary>
public sealed record EmbedderDescriptor(string Name, int Dimensions)
{
    public override string ToString() => $"{Name} ({Dimensions} dimensions)";
}
