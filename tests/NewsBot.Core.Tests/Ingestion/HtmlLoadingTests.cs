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
            <main><h1>Rail fares rise</h1><p>Fares go up 5% in March.</p></main>
            <footer><p>Contact us</p></footer>
            </body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Rail fares rise", article.Title);
        Assert.Equal("Fares go up 5% in March.", article.Text);
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
              <p>Volunteers will staff it on weekends.</p>
            </div>
            <div id="links"><p>Share this</p></div>
            </body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Library saved", article.Title);
        Assert.Equal("The town library will stay open after residents raised the money it needed.\n\nVolunteers will staff it on weekends.", article.Text);
    }

    [Fact]
    public async Task Canonical_link_and_time_element_fill_url_and_date()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("time.html", """
            <html><head><title>Election results</title><link rel="canonical" href="https://example.com/results"></head>
            <body><article><time datetime="2024-11-06">6 November</time><p>Turnout was high.</p></article></body></html>
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Election results", article.Title);
        Assert.Equal("https://example.com/results", article.Url);
        Assert.Equal(new DateTimeOffset(2024, 11, 6, 0, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal("6 November\n\nTurnout was high.", article.Text);
    }

    [Fact]
    public async Task A_page_with_no_text_is_skipped()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("blank.html", "<html><head><title>Nothing</title><script>x()</script></head><body><nav>Home</nav></body></html>");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal("no text", skip.Reason);
    }
}
