using NewsBot.Core.Articles;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;

namespace NewsBot.Core.Tests.Indexing;

public sealed class PassageTermsTests
{
    [Fact]
    public void Terms_are_counted_once_each_with_the_passage_length_in_tokens()
    {
        var terms = PassageTerms.Of(["storm", "harbour", "storm", "town"]);

        Assert.Equal(["storm", "harbour", "town"], terms.Terms);
        Assert.Equal([2, 1, 1], terms.Counts);
        Assert.Equal(4, terms.Length);
    }

    [Fact]
    public void An_indexed_article_carries_the_terms_of_each_passage_title_included()
    {
        var article = new Article { Id = "a", Title = "Harbour news", Text = "Storms hit the town." };
        var passage = new Passage { Id = "a#0", ArticleId = "a", Ordinal = 0, Start = 0, End = article.Text.Length, Text = article.Text, Title = article.Title };

        var indexed = new IndexedArticle(article, "hash", [passage], [new float[] { 1f }]);

        var terms = Assert.Single(indexed.Terms);
        Assert.Contains("harbour", terms.Terms);
        Assert.Contains("storm", terms.Terms);
        Assert.DoesNotContain("the", terms.Terms);
    }

    [Fact]
    public void The_bm25_term_weight_saturates_and_favours_short_passages()
    {
        Assert.True(Bm25.TermWeight(2, 100, 100) > Bm25.TermWeight(1, 100, 100));
        Assert.True(Bm25.TermWeight(50, 100, 100) < Bm25.K1 + 1);
        Assert.True(Bm25.TermWeight(1, 50, 100) > Bm25.TermWeight(1, 200, 100));
    }
}
