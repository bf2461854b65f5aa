using NewsBot.Core.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class TextShapeTests
{
    [Fact]
    public void Paragraphs_trims_the_text_cuts_line_ends_and_folds_blank_runs()
    {
        var shaped = TextShape.Paragraphs("\n\n  Lead line  \nnext\n\n\n\n   \nPara two  \n\n");

        Assert.Equal("Lead line\nnext\n\nPara two", shaped);
    }

    [Fact]
    public void Paragraphs_hands_back_tidy_text_without_copying_it()
    {
        var tidy = "One.\n\nTwo,\nwrapped.";

        Assert.Same(tidy, TextShape.Paragraphs(tidy));
    }

    [Fact]
    public void One_line_collapses_every_run_of_white_space()
    {
        Assert.Equal("A headline in pieces", TextShape.OneLine("  A headline\n in \n\n pieces  "));
    }

    [Fact]
    public void A_derived_title_is_the_first_sentence_of_the_first_line()
    {
        Assert.Equal("Fire crews were called at 3am.", TextShape.TitleFromText("Fire crews were called at 3am. Nobody was hurt.\n\nMore."));
    }

    [Fact]
    public void A_derived_title_is_cut_at_a_word_within_120_characters()
    {
        var title = TextShape.TitleFromText(string.Join(' ', Enumerable.Repeat("lengthy", 40)));

        Assert.True(title.Length <= 120, $"{title.Length} characters");
        Assert.EndsWith("lengthy…", title, StringComparison.Ordinal);
    }
}
