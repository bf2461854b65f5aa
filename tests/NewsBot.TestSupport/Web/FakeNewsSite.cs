using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NewsBot.TestSupport.Web;

/// <summary>A request the site received: path, the conditional headers and the User-Agent, and what it answered.</summary>
public sealed record SiteRequest(string Path, string? IfNoneMatch, string? IfModifiedSince, string? UserAgent, int Status);

/// <summary>
/// A news site on 127.0.0.1 for feed and page tests: each path answers what the test put there (a body with a
/// content type, an ETag honoured with 304, a redirect, an error status, a slow answer), and every request is
/// recorded. Paths with nothing put there answer 404, robots.txt included.
/// </summary>
public sealed class FakeNewsSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SiteRequest> _requests = new();

    private FakeNewsSite(WebApplication app)
    {
        _app = app;
    }

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<SiteRequest> Requests => _requests.ToArray();

    public string Url(string path) => BaseUrl + path;

    public static async Task<FakeNewsSite> StartAsync()
    {
        var app = LoopbackHost.Create();
        var site = new FakeNewsSite(app);
        app.Run(site.HandleAsync);
        site.Port = (await LoopbackHost.StartAsync(app)).Port;
        return site;
    }

    /// <summary>Serves <paramref name="body"/> at <paramref name="path"/>; with an ETag, a matching If-None-Match gets 304.</summary>
    public void Put(string path, string body, string contentType = "text/html; charset=utf-8", string? etag = null) =>
        _routes[path] = async context =>
        {
            if (etag is not null)
            {
                context.Response.Headers.ETag = etag;
                if (context.Request.Headers.IfNoneMatch.ToString() == etag)
                {
                    context.Response.StatusCode = 304;
                    return;
                }
            }
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body, Encoding.UTF8);
        };

    /// <summary>Serves raw bytes (a page in another charset, say) with the given content type.</summary>
    public void PutBytes(string path, byte[] body, string contentType) =>
        _routes[path] = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        };

    /// <summary>Answers <paramref name="path"/> with the next status of <paramref name="statuses"/> each time, then with <paramref name="then"/>.</summary>
    public void Statuses(string path, int[] statuses, Func<HttpContext, Task>? then = null, string? retryAfter = null)
    {
        var queue = new ConcurrentQueue<int>(statuses);
        var after = then ?? (c => { c.Response.StatusCode = 404; return Task.CompletedTask; });
        _routes[path] = context =>
        {
            if (!queue.TryDequeue(out var status))
                return after(context);
            context.Response.StatusCode = status;
            if (retryAfter is not null)
                context.Response.Headers.RetryAfter = retryAfter;
            return Task.CompletedTask;
        };
    }

    /// <summary>The handler that <see cref="Put"/> installed for a path, to answer after failures.</summary>
    public Func<HttpContext, Task> Handler(string path) => _routes[path];

    public void Redirect(string path, string location, int status = 302) =>
        _routes[path] = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        };

    /// <summary>Answers only after <paramref name="delay"/> (real time), to run past a client's timeout.</summary>
    public void Slow(string path, TimeSpan delay, string body) =>
        _routes[path] = async context =>
        {
            await Task.Delay(delay, context.RequestAborted);
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync(body);
        };

    public int Count(string path) => _requests.Count(r => r.Path == path);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value + context.Request.QueryString.Value;
        try
        {
            if (_routes.TryGetValue(path, out var route) || _routes.TryGetValue(context.Request.Path.Value ?? "", out route))
                await route(context);
            else
                context.Response.StatusCode = 404;
        }
        catch (OperationCanceledException)
        {
            // The client gave up (a timeout test).
        }
        _requests.Enqueue(new SiteRequest(path, NullIfEmpty(context.Request.Headers.IfNoneMatch.ToString()), NullIfEmpty(context.Request.Headers.IfModifiedSince.ToString()),
            NullIfEmpty(context.Request.Headers.UserAgent.ToString()), context.Response.StatusCode));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>Feeds and pages written the way news sites write them: navigation, cookie banners, related links, scripts, bylines.</summary>
public static class NewsPages
{
    public static string Article(string title, string canonical, string published, string byline, params string[] paragraphs) => $$"""
        <!doctype html>
        <html lang="en"><head>
        <meta charset="utf-8"><title>{{title}} | The Harbour Times</title>
        <link rel="canonical" href="{{canonical}}">
        <meta property="og:title" content="{{title}}">
        <meta property="og:site_name" content="The Harbour Times">
        <meta property="article:published_time" content="{{published}}">
        <meta name="author" content="{{byline}}">
        <script>window.dataLayer = [{"page": "article", "tracking": "abc"}];</script>
        <style>.cookie { position: fixed }</style>
        </head><body>
        <div class="cookie" id="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
        <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a> <a href="/subscribe">Subscribe now</a></nav></header>
        <main><article>
        <h1>{{title}}</h1>
        <p class="byline">By {{byline}}, <time datetime="{{published}}">published today</time></p>
        {{string.Concat(paragraphs.Select(p => "<p>" + p + "</p>\n"))}}
        </article>
        <aside class="related"><h2>Related stories</h2><ul><li><a href="/a">Ferry strike ends</a></li><li><a href="/b">Council votes on bins</a></li></ul></aside>
        </main>
        <footer><p>© The Harbour Times. All rights reserved. <a href="/privacy">Privacy</a></p></footer>
        <script>console.log("analytics");</script>
        </body></html>
        """;

    public static string Rss(string title, params (string Title, string Link, string Date, string Description)[] items) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>{title}</title><link>https://harbour.example/</link><description>News</description>
        {string.Concat(items.Select(i => $"<item><title>{i.Title}</title><link>{i.Link}</link><guid>{i.Link}</guid><pubDate>{i.Date}</pubDate><description>{i.Description}</description></item>\n"))}
        </channel></rss>
        """;
}
