using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class HtmlLoadingTests
{
    private const string Page = """
        <!DOCTYPE html>
        <html>
        <head>
          <title>Ignored | Example News</title>
          <meta property="og:title" content="  Port strike   ends after two weeks ">
          <meta property="og:site_name" content="Example News">
          <meta property="og:url" content="https://example.com/port-strike">
          <meta property="article:published_time" content="2024-05-02T09:30:00Z">
          <meta name="author" content="Cara Lee">
          <style>p { color: red }</style>
          <script>var tracking = "do not index";</script>
        </head>
        <body>
          <header><a href="/">Example News</a> <nav><a href="/world">World</a><a href="/sport">Sport</a></nav></header>
          <aside><p>Most read: a celebrity story that is not this article at all.</p></aside>
          <article>
            <header><h1>Port strike ends after two weeks</h1><p class="byline">By Cara Lee</p></header>
            <p>Dock   workers
               voted on <b>Thursday</b> to end the strike.</p>
            <figure><img src="ship.jpg"><figcaption>A ship waits. Photo: Agency</figcaption></figure>
            <h2>What changes</h2>
            <ul><li>Pay rises 6%</li><li>Shifts get shorter</li></ul>
            <blockquote>It was worth it, said one worker.</blockquote>
            <div>Cargo should move again by Monday.<br>Ports expect delays.</div>
            <form><input name="email"><button>Subscribe to our newsletter</button></form>
            <script>alert("no")</script>
          </article>
          <footer><p>Copyright Example News. All rights reserved.</p></footer>
        </body>
        </html>
        """;

    [Fact]
    public async Task Metadata_comes_from_open_graph_and_meta_tags()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("port.html", Page);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Port strike ends after two weeks", article.Title);
        Assert.Equal("Example News", article.Source);
        Assert.Equal("https://example.com/port-strike", article.Url);
        Assert.Equal(new DateTimeOffset(2024, 5, 2, 9, 30, 0, TimeSpan.Zero), article.Published);
        Assert.Equal(["Cara Lee"], article.Authors);
        Assert.Equal("port.html", article.Id);
    }

    [Fact]
    public async Task Body_is_the_article_as_paragraphs_without_boilerplate()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("port.htm", Page);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal(
            "Dock workers voted on Thursday to end the strike.\n\nWhat changes\n\nPay rises 6%\n\nShifts get shorter\n\n"
            + "It was worth it, said one worker.\n\nCargo should move again by Monday.\nPorts expect delays.",
            article.Text);
    }

    [Fact]
    public async Task Without_an_article_element_the_main_element_is_the_body()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("main.html", """
            <html><head><title>Rail fares rise</title></head><body>
            <nav><p>Home</p><p>News</p></nav>
            <main><h1>Rail fares rise</h1><p>Fares go up 5% in March, the operators said on Monday, the largest rise in a decade for most season tickets.</p></main>
            <footer><p>Contact us</p></footer>
            </body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Rail fares rise", article.Title);
        Assert.Equal("Fares go up 5% in March, the operators said on Monday, the largest rise in a decade for most season tickets.", article.Text);
    }

    [Fact]
    public async Task Without_article_or_main_the_element_with_most_paragraph_text_is_the_body()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("divs.html", """
            <html><body>
            <div id="menu"><p>Home</p><p>About</p></div>
            <div id="story">
              <h1>Library saved</h1>
              <p>The town library will stay open after residents raised the money it needed.</p>
              <p>Volunteers will staff it on weekends until the council finds the money again.</p>
            </div>
            <div id="links"><p>Share this</p></div>
            </body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Library saved", article.Title);
        Assert.Equal("The town library will stay open after residents raised the money it needed.\n\nVolunteers will staff it on weekends until the council finds the money again.", article.Text);
    }

    [Fact]
    public async Task Canonical_link_and_time_element_fill_url_and_date()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("time.html", """
            <html><head><title>Election results</title><link rel="canonical" href="https://example.com/results"></head>
            <body><article><time datetime="2024-11-06">6 November</time><p>Turnout was high across the country, officials said, with long queues at polling stations well into the evening.</p></article></body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Election results", article.Title);
        Assert.Equal("https://example.com/results", article.Url);
        Assert.Equal(new DateTimeOffset(2024, 11, 6, 0, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal("6 November\n\nTurnout was high across the country, officials said, with long queues at polling stations well into the evening.", article.Text);
    }

    [Fact]
    public async Task A_page_with_no_text_is_skipped()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("blank.html", "<html><head><title>Nothing</title><script>x()</script></head><body><nav>Home</nav></body></html>");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal("no text", skip.Reason);
    }

    [Fact]
    public async Task A_body_of_br_runs_without_an_article_element_is_found_and_the_trending_box_left_out()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("br.html", """
            <html><head><title>Harbour wall collapses after storm</title></head><body>
            <div class="header"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></div>
            <div class="trending"><h3>Trending now</h3>
              <a href="/a">Celebrity spotted in town centre shop</a><br><a href="/b">Ten recipes for the weekend</a><br>
              <a href="/c">Quiz: how well do you know the coast?</a><br><a href="/d">Traffic chaos on the ring road</a>
            </div>
            <div class="story">
              The old harbour wall in Port Ellen collapsed on Sunday night after waves battered the coast for six hours, the council said.<br><br>
              Engineers closed the quay to the public and fishing boats were moved to the north basin while the damage is surveyed.<br><br>
              "We have not seen a storm like this in thirty years," said harbourmaster Ian Campbell, who asked residents to keep away.
            </div>
            <div class="comments"><p>Great news, not.</p></div>
            </body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Contains("The old harbour wall in Port Ellen collapsed", article.Text, StringComparison.Ordinal);
        Assert.Contains("harbourmaster Ian Campbell", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Trending now", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ten recipes", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_that_is_mostly_links_is_skipped_with_that_reason()
    {
        using var temp = new TempDirectory();
        var links = string.Join("<br>", Enumerable.Range(0, 30).Select(i => $"<a href=\"/s{i}\">Story number {i} about the town and its people</a>"));
        var path = temp.Write("links.html", $"<html><head><title>Latest</title></head><body><div>{links}</div><p>More soon.</p></body></html>");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.StartsWith("mostly links, not an article", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_wall_is_skipped_as_too_short()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("wall.html", "<html><head><title>Subscribers only</title></head><body><article><p>Please sign in to continue reading this story.</p></article></body></html>");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.StartsWith("too short to be an article", skip.Reason, StringComparison.Ordinal);
    }
}
