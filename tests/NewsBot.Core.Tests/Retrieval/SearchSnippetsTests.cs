using NewsBot.Core.Answering;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;
using NewsBot.Core.Text;

namespace NewsBot.Core.Tests.Retrieval;

public sealed class SearchSnippetsTests
{
    private static RetrievedPassage Passage(string text, string title = "A title") => new(1, new Passage
    {
        Id = "a#0",
        ArticleId = "a",
        Ordinal = 0,
        Start = 0,
        End = text.Length,
        Text = text,
        Title = title,
    }, 1, 0.5f);

    [Fact]
    public void The_snippet_is_centred_on_the_sentence_that_matches_most_query_words()
    {
        var text = "The council met on Tuesday. " + string.Join(" ", Enumerable.Repeat("Nothing of note happened in the long meeting.", 8))
            + " Ships left the harbour after the storm passed. The mayor thanked everyone.";

        var hit = SearchSnippets.For(Passage(text), SearchTokenizer.Tokenize("ship harbour storm"), maxLength: 120);

        Assert.Contains("Ships left the harbour after the storm passed.", hit.Snippet, StringComparison.Ordinal);
        Assert.StartsWith("… ", hit.Snippet, StringComparison.Ordinal);
        Assert.Equal(["Ships", "harbour", "storm"], hit.Highlights.Select(h => hit.Snippet.Substring(h.Start, h.Length)));
        Assert.Equal(1.0, hit.Coverage);
    }

    [Fact]
    public void Coverage_is_the_share_of_distinct_query_terms_the_passage_and_its_title_hold()
    {
        var hit = SearchSnippets.For(Passage("Rain fell on the town.", title: "Harbour news"), SearchTokenizer.Tokenize("harbour rain volcano lava"));

        Assert.Equal(0.5, hit.Coverage);
        Assert.Equal(["harbour", "rain"], hit.MatchedTerms);
    }

    [Fact]
    public void A_sentence_longer_than_the_snippet_is_cut_around_its_first_match_at_word_boundaries()
    {
        var text = string.Join(" ", Enumerable.Range(0, 80).Select(i => $"word{i}")) + " volcano " + string.Join(" ", Enumerable.Range(80, 80).Select(i => $"word{i}")) + ".";

        var hit = SearchSnippets.For(Passage(text), ["volcano"], maxLength: 100);

        Assert.Contains("volcano", hit.Snippet, StringComparison.Ordinal);
        Assert.True(hit.Snippet.Length <= 110, hit.Snippet);
        Assert.Matches(@"^… word\d+ .* word\d+ …$", hit.Snippet);
        Assert.Equal("volcano", hit.Snippet.Substring(hit.Highlights[0].Start, hit.Highlights[0].Length));
    }

    [Fact]
    public void Marking_wraps_each_highlight_and_escapes_the_rest()
    {
        var hit = SearchSnippets.For(Passage("Storms & [floods] hit."), ["storm"]);

        Assert.Equal("<b>Storms</b> &amp; [floods] hit.", SearchSnippets.Mark(hit, "<b>", "</b>", s => s.Replace("&", "&amp;", StringComparison.Ordinal)));
    }
}
