using NewsBot.Core.Ingestion;
using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class PlainTextLoadingTests
{
    [Fact]
    public async Task Sample_articles_load_with_file_names_as_ids_and_first_lines_as_titles()
    {
        var results = await Loading.AllAsync(RepositoryPaths.Samples);

        Assert.Empty(results.Skips());
        var articles = results.Articles();
        Assert.Equal(["000_fed41627294e905a.txt", "003_1f7b7d4ed5a94d40.txt"], articles.Select(a => a.Id));
        Assert.Equal("Sony hack: Internet in North Korea is 'totally down' - but US makes no comment", articles[0].Title);
        // The sample's first line is the publisher's banner; a .txt title is its first line, whatever it says.
        Assert.Equal("This story is over 5 years old.", articles[1].Title);
        Assert.StartsWith("North Korea Has Massive Internet Outage", articles[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_text_keeps_the_evidence_sentences_exactly()
    {
        var article = await Loading.SingleArticleAsync(Path.Combine(RepositoryPaths.Samples, "000_fed41627294e905a.txt"));

        Assert.Contains("Doug Madory, director of Internet analysis at Dyn Research", article.Text, StringComparison.Ordinal);
        Assert.Contains("\"some will be seen, some may not be seen.\"", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_given_alone_gets_its_file_name_as_id_and_its_full_path_as_origin()
    {
        var path = Path.Combine(RepositoryPaths.Samples, "003_1f7b7d4ed5a94d40.txt");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("003_1f7b7d4ed5a94d40.txt", article.Id);
        Assert.Equal(Path.GetFullPath(path), article.Origin);
    }

    [Fact]
    public async Task First_non_empty_line_is_the_title_and_the_rest_keeps_its_paragraphs()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("story.txt", "\n\n   Council   approves budget  \r\n\r\n\r\nFirst paragraph,\r\nwrapped.   \r\n\r\n\r\n\r\nSecond paragraph.\r\n\r\n");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Council approves budget", article.Title);
        Assert.Equal("First paragraph,\nwrapped.\n\nSecond paragraph.", article.Text);
    }

    [Fact]
    public async Task Text_is_normalised_to_nfc_with_odd_spaces_folded()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("accents.txt", "Cafe\u0301 opens\nThe cafe\u0301\u00A0opened on\u200B Monday.");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Café opens", article.Title);
        Assert.Equal("The café opened on Monday.", article.Text);
    }

    [Fact]
    public async Task A_text_file_with_only_a_title_line_is_skipped_for_having_no_text()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("title-only.txt", "Just a headline\n\n");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal(path, skip.File);
        Assert.Contains("no text", skip.Reason, StringComparison.Ordinal);
    }
}
