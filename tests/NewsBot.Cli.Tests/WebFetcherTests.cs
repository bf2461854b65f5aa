using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NewsBot.TestSupport.Web;
using NewsBot.Web;

namespace NewsBot.Cli.Tests;

/// <summary>The fetcher's pacing on its <see cref="TimeProvider"/>, so the wait between requests to one host is exact.</summary>
public sealed class WebFetcherTests : IAsyncLifetime
{
    private FakeNewsSite _site = null!;

    public async Task InitializeAsync() => _site = await FakeNewsSite.StartAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task A_second_request_to_the_same_host_waits_for_the_host_delay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var fetcher = new WebFetcher(new FeedsOptions { AllowPrivateAddresses = true, HostDelay = TimeSpan.FromMinutes(1) }, time, NullLogger<WebFetcher>.Instance);
        _site.Put("/a", "<p>a</p>");
        _site.Put("/b", "<p>b</p>");
        var first = fetcher.GetAsync(new Uri(_site.Url("/a")), null, null, default);
        // robots.txt went first; /a waits a host delay after it.
        await WaitUntilAsync(() => _site.Count("/robots.txt") == 1);
        await Task.Delay(200);
        Assert.Equal(0, _site.Count("/a"));
        time.Advance(TimeSpan.FromMinutes(1));
        await first;

        var second = fetcher.GetAsync(new Uri(_site.Url("/b")), null, null, default);
        await Task.Delay(200);
        Assert.False(second.IsCompleted);
        Assert.Equal(0, _site.Count("/b"));
        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(200);
        Assert.Equal(0, _site.Count("/b"));
        time.Advance(TimeSpan.FromSeconds(1));

        var response = await second;
        Assert.Equal("<p>b</p>", System.Text.Encoding.UTF8.GetString(response.Body));
        Assert.Equal(1, _site.Count("/robots.txt"));
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_the_redirect_limit_with_a_reason()
    {
        using var fetcher = new WebFetcher(new FeedsOptions { AllowPrivateAddresses = true, HostDelay = TimeSpan.Zero, MaxRedirects = 3 }, TimeProvider.System, NullLogger<WebFetcher>.Instance);
        _site.Redirect("/a", "/b");
        _site.Redirect("/b", "/a");

        var error = await Assert.ThrowsAsync<WebFetchException>(() => fetcher.GetAsync(new Uri(_site.Url("/a")), null, null, default));

        Assert.Equal("more than 3 redirects", error.Message);
        Assert.Equal(4, _site.Count("/a") + _site.Count("/b"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }
}
