using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class MarkdownLoadingTests
{
    [Fact]
    public async Task Front_matter_gives_title_source_url_date_authors_and_id()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("fed.md", """
            ---
            title: "Fed holds rates steady"
            source: Example Times
            url: https://example.com/fed
            date: 2024-03-20T18:00:00-04:00
            authors:
              - Ana Ruiz
              - Ben Ode
            id: fed-2024-03-20
            ---
            The Federal Reserve left rates unchanged.

            Officials signalled cuts later in the year.
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("fed-2024-03-20", article.Id);
        Assert.Equal("Fed holds rates steady", article.Title);
        Assert.Equal("Example Times", article.Source);
        Assert.Equal("https://example.com/fed", article.Url);
        Assert.Equal(new DateTimeOffset(2024, 3, 20, 22, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal(["Ana Ruiz", "Ben Ode"], article.Authors);
        Assert.Equal("The Federal Reserve left rates unchanged.\n\nOfficials signalled cuts later in the year.", article.Text);
    }

    [Fact]
    public async Task Front_matter_accepts_published_and_a_single_author()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("one.md", "---\npublished: 2023-01-05\nauthor: Ana Ruiz\n---\n# Snow closes schools\n\nAll schools closed.\n");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal(new DateTimeOffset(2023, 1, 5, 0, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal(["Ana Ruiz"], article.Authors);
        Assert.Equal("Snow closes schools", article.Title);
        Assert.Equal("one.md", article.Id);
    }

    [Fact]
    public async Task Leading_heading_becomes_the_title_and_leaves_the_body()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("heading.md", "\n# Storm hits coast #\n\nWinds reached 120 km/h.\n\n## Damage\n\nRoofs were torn off.\n");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Storm hits coast", article.Title);
        Assert.Equal("Winds reached 120 km/h.\n\nDamage\n\nRoofs were torn off.", article.Text);
    }

    [Fact]
    public async Task Without_a_heading_the_first_line_is_the_title()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("plain.md", "Markets rally on jobs data\n\nStocks rose **sharply** on Friday.\n");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Markets rally on jobs data", article.Title);
        Assert.Contains("Stocks rose sharply on Friday.", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_are_removed_and_links_keep_only_their_text()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("links.md", """
            # Bridge reopens

            ![The bridge at dawn](https://example.com/bridge.jpg "Bridge")
            The [city council](https://example.com/council) voted, see [the minutes][minutes] and [Wikipedia](https://en.wikipedia.org/wiki/Bridge_(structure)).

            [minutes]: https://example.com/minutes
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("The city council voted, see the minutes and Wikipedia.", article.Text);
    }

    [Fact]
    public async Task Malformed_front_matter_is_skipped_with_its_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.md", "---\ntitle: ok\nauthors: [unclosed\n---\nBody text.\n");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal(path, skip.File);
        Assert.StartsWith("malformed front matter: ", skip.Reason, StringComparison.Ordinal);
        Assert.NotNull(skip.Line);
        Assert.InRange(skip.Line!.Value, 2, 5);
    }

    [Fact]
    public async Task Markdown_syntax_is_rendered_to_plain_text_and_quotes_stay_exact()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("vote.md", "# Vote passes\n\nThe bill passed **27 to 12** on _Tuesday_.\n\n> \"We won,\" said the `leader`.\n\n- First point\n- Second point\n\n---\n\n<div>ad</div>\n");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("The bill passed 27 to 12 on Tuesday.\n\n\"We won,\" said the leader.\n\nFirst point\n\nSecond point", article.Text);
        Assert.DoesNotContain("*", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", article.Text, StringComparison.Ordinal);
    }
}
