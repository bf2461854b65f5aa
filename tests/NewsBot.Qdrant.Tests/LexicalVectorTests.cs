namespace NewsBot.Qdrant.Tests;

public sealed class LexicalVectorTests
{
    [Fact]
    public void Term_ids_are_fnv1a_32_of_the_utf8_token()
    {
        Assert.Equal(0x811c9dc5u, LexicalVector.TermId(""));
        Assert.Equal(0xe40c292cu, LexicalVector.TermId("a"));
        Assert.Equal(0xbf9cf968u, LexicalVector.TermId("foobar"));
    }

    [Fact]
    public void Passage_vector_uses_the_search_tokens_with_saturating_term_frequency()
    {
        var terms = NewsBot.Core.Indexing.PassageTerms.Of(NewsBot.Core.Text.SearchTokenizer.Tokenize("The volcano erupted. Volcanoes erupt; the volcano's ash fell."));
        var (indices, values) = LexicalVector.ForPassage(terms);
        var volcano = Array.IndexOf(indices, LexicalVector.TermId("volcano"));
        var ash = Array.IndexOf(indices, LexicalVector.TermId("ash"));
        Assert.True(volcano >= 0 && ash >= 0);
        Assert.DoesNotContain(LexicalVector.TermId("the"), indices);
        Assert.True(values[volcano] > values[ash], "three mentions weigh more than one");
        Assert.True(values[volcano] < 3 * values[ash], "but term frequency saturates");
        Assert.Equal(indices.Order(), indices);
        Assert.Equal(indices.Length, indices.Distinct().Count());
    }

    [Fact]
    public void Query_vector_weighs_each_distinct_term_once()
    {
        var (indices, values) = LexicalVector.ForQuery(["volcano", "ash", "volcano"]);
        Assert.Equal(2, indices.Length);
        Assert.All(values, v => Assert.Equal(1f, v));
    }
}
