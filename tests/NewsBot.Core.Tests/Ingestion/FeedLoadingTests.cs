using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class FeedLoadingTests
{
    private const string Rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>Harbour Daily</title>
            <link>https://harbour.example</link>
            <image><title>Logo title is not the source</title></image>
            <item>
              <title>Ferry route returns</title>
              <link>https://harbour.example/ferry</link>
              <guid isPermaLink="false">harbour-123</guid>
              <pubDate>Mon, 03 Jun 2024 07:15:00 +0200</pubDate>
              <dc:creator>Dee Marsh</dc:creator>
              <description>Short summary only.</description>
              <content:encoded><![CDATA[<p>The ferry   route <b>returns</b> in July.</p><p>Tickets go on sale <a href="/t">today</a>.</p><script>x()</script>]]></content:encoded>
            </item>
            <item>
              <title>Fish market moves</title>
              <link>https://harbour.example/fish</link>
              <pubDate>Tue, 04 Jun 2024 10:00:00 EST</pubDate>
              <author>desk@harbour.example (News Desk)</author>
              <description>&lt;p&gt;The market moves to pier 4.&lt;/p&gt;&lt;p&gt;Stalls reopen Friday.&lt;/p&gt;</description>
            </item>
            <item>
              <title>No link or guid</title>
              <description>Plain text description.

        Second paragraph.</description>
            </item>
          </channel>
        </rss>
        """;

    [Fact]
    public async Task Rss_items_load_with_the_channel_title_as_source()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("harbour.rss", Rss);

        var results = await Loading.AllAsync(path);

        Assert.Empty(results.Skips());
        var articles = results.Articles();
        Assert.Equal(["harbour-123", "https://harbour.example/fish", "harbour.rss#3"], articles.Select(a => a.Id));
        Assert.All(articles, a => Assert.Equal("Harbour Daily", a.Source));
        Assert.Equal("Ferry route returns", articles[0].Title);
        Assert.Equal("https://harbour.example/ferry", articles[0].Url);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 5, 15, 0, TimeSpan.Zero), articles[0].Published);
        Assert.Equal(["Dee Marsh"], articles[0].Authors);
        Assert.Equal(new DateTimeOffset(2024, 6, 4, 15, 0, 0, TimeSpan.Zero), articles[1].Published);
        Assert.Equal(["News Desk"], articles[1].Authors);
    }

    [Fact]
    public async Task Rss_bodies_prefer_full_content_and_strip_html_keeping_paragraphs()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("harbour.xml", Rss);

        var articles = (await Loading.AllAsync(path)).Articles();

        Assert.Equal("The ferry route returns in July.\n\nTickets go on sale today.", articles[0].Text);
        Assert.Equal("The market moves to pier 4.\n\nStalls reopen Friday.", articles[1].Text);
        Assert.Equal("Plain text description.\n\nSecond paragraph.", articles[2].Text);
    }

    [Theory]
    [InlineData("city.atom")]
    [InlineData("city.xml")]
    public async Task Atom_entries_load_with_the_feed_title_as_source(string name)
    {
        using var temp = new TempDirectory();
        var path = temp.Write(name, """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>City Hall Notes</title>
              <entry>
                <title type="html">Budget &lt;em&gt;passes&lt;/em&gt;</title>
                <link rel="alternate" href="https://city.example/budget"/>
                <link rel="edit" href="https://city.example/edit/1"/>
                <id>tag:city.example,2024:budget</id>
                <updated>2024-02-02T12:00:00Z</updated>
                <published>2024-02-01T08:00:00+01:00</published>
                <author><name>Ola Berg</name></author>
                <summary>Summary only.</summary>
                <content type="html">&lt;p&gt;The budget passed 7 to 2.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Parks&lt;/li&gt;&lt;li&gt;Roads&lt;/li&gt;&lt;/ul&gt;</content>
              </entry>
              <entry>
                <title>Park opens</title>
                <updated>2024-03-01T00:00:00Z</updated>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>The park is open.</p><p>Dogs welcome.</p></div></content>
              </entry>
            </feed>
            """);

        var articles = (await Loading.AllAsync(path)).Articles();

        Assert.Equal(2, articles.Count);
        Assert.Equal("tag:city.example,2024:budget", articles[0].Id);
        Assert.Equal("Budget passes", articles[0].Title);
        Assert.Equal("City Hall Notes", articles[0].Source);
        Assert.Equal("https://city.example/budget", articles[0].Url);
        Assert.Equal(new DateTimeOffset(2024, 2, 1, 7, 0, 0, TimeSpan.Zero), articles[0].Published);
        Assert.Equal(["Ola Berg"], articles[0].Authors);
        Assert.Equal("The budget passed 7 to 2.\n\nParks\n\nRoads", articles[0].Text);
        Assert.Equal($"{name}#2", articles[1].Id);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), articles[1].Published);
        Assert.Equal("The park is open.\n\nDogs welcome.", articles[1].Text);
    }

    [Fact]
    public async Task Xml_that_is_not_a_feed_is_skipped()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("config.xml", "<configuration><add key=\"a\"/></configuration>");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal("not an RSS or Atom feed (root element <configuration>)", skip.Reason);
    }

    [Fact]
    public async Task A_feed_with_a_dtd_is_refused_so_external_entities_are_never_read()
    {
        using var temp = new TempDirectory();
        var secret = temp.Write("secret.txt", "TOP SECRET");
        var path = temp.Write("evil.rss", $"""
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>
            <rss version="2.0"><channel><title>Evil</title>
            <item><title>Leak</title><description>&xxe;</description></item>
            </channel></rss>
            """);

        var results = await Loading.AllAsync(path);

        var skip = Assert.Single(results).Skip;
        Assert.NotNull(skip);
        Assert.StartsWith("malformed XML: ", skip.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP SECRET", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_that_breaks_half_way_keeps_the_items_before_the_break()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("broken.rss", """
            <rss version="2.0"><channel><title>Wire</title>
            <item><title>One</title><guid>1</guid><description>First.</description></item>
            <item><title>Two</title><guid>2</guid><description>Second.</description></item>
            <item><title>Three</title><guid>3</guid>
            <description>Third.</descr>
            </item>
            </channel></rss>
            """);

        var results = await Loading.AllAsync(path);

        Assert.Equal(["1", "2"], results.Articles().Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.StartsWith("malformed XML: ", skip.Reason, StringComparison.Ordinal);
        Assert.Equal(5, skip.Line);
    }

    [Fact]
    public async Task A_feed_item_without_text_is_skipped_with_its_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("thin.rss", """
            <rss version="2.0"><channel><title>Wire</title>
            <item><title>Headline only</title><guid>h</guid></item>
            <item><title>Full</title><guid>f</guid><description>Text.</description></item>
            </channel></rss>
            """);

        var results = await Loading.AllAsync(path);

        Assert.Equal(["f"], results.Articles().Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.Equal(("no text", 2), (skip.Reason, skip.Line));
    }
}
