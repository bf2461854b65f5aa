using NewsBot.Core.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class PublishedDateTests
{
    [Theory]
    [InlineData("2014-12-22", "2014-12-22T00:00:00Z")]
    [InlineData("2014-12-22T17:15:00", "2014-12-22T17:15:00Z")]
    [InlineData("2014-12-22T17:15:00Z", "2014-12-22T17:15:00Z")]
    [InlineData("2014-12-22T17:15:00+01:00", "2014-12-22T16:15:00Z")]
    [InlineData("Mon, 22 Dec 2014 17:15:00 GMT", "2014-12-22T17:15:00Z")]
    [InlineData("Mon, 22 Dec 2014 17:15:00 +0100", "2014-12-22T16:15:00Z")]
    [InlineData("22 Dec 2014 17:15 -0500", "2014-12-22T22:15:00Z")]
    [InlineData("Mon, 22 Dec 2014 17:15:00 PST", "2014-12-23T01:15:00Z")]
    [InlineData("Mon, 22 Dec 2014 17:15:00 UT", "2014-12-22T17:15:00Z")]
    [InlineData("1419268500", "2014-12-22T17:15:00Z")]
    public void News_date_formats_parse_with_utc_assumed(string text, string expected)
    {
        var parsed = PublishedDate.Parse(text);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2014-13-45")]
    [InlineData("99999999999999999999")]
    public void Unparseable_dates_are_null(string text)
    {
        Assert.Null(PublishedDate.Parse(text));
    }

    [Fact]
    public void Unix_times_in_seconds_and_milliseconds_agree()
    {
        Assert.Equal(PublishedDate.FromUnix(1419268500), PublishedDate.FromUnix(1419268500000));
    }
}
