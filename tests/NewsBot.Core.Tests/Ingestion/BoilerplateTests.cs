using NewsBot.Core.Articles;
using NewsBot.Core.Ingestion;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class BoilerplateTests
{
    private static Article Story(int i, string source, params string[] extra) => new()
    {
        Id = $"{source}-{i}",
        Title = $"Story {i}",
        Text = string.Join("\n\n", new[] { $"Reporting paragraph number {i} about the council budget and the harbour repairs, with quotes from officials." }
            .Concat(extra)
            .Append($"A second paragraph of story {i} with more detail on what happens next week in the town.")),
        Source = source,
    };

    [Fact]
    public void A_short_line_recurring_across_a_sources_articles_is_learned_and_dropped()
    {
        var articles = Enumerable.Range(0, 10).Select(i => Story(i, "Gazette", "Share on Facebook Share on X Email", "Get the Gazette daily: sign up for our newsletter")).ToList();
        var boilerplate = Boilerplate.Learn(articles);

        var cleaned = boilerplate.Clean(articles[3]);

        Assert.DoesNotContain("Share on Facebook", cleaned.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("newsletter", cleaned.Text, StringComparison.Ordinal);
        Assert.Contains("Reporting paragraph number 3", cleaned.Text, StringComparison.Ordinal);
        Assert.Contains("A second paragraph of story 3", cleaned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_of_one_source_is_not_boilerplate_of_another()
    {
        var gazette = Enumerable.Range(0, 10).Select(i => Story(i, "Gazette", "Read the Gazette every morning")).ToList();
        var other = Story(1, "Herald", "Read the Gazette every morning");

        var cleaned = Boilerplate.Learn([.. gazette, other]).Clean(other);

        Assert.Contains("Read the Gazette every morning", cleaned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_in_too_few_articles_and_bylines_are_kept()
    {
        var articles = Enumerable.Range(0, 40).Select(i => Story(i, "Wire", i < 2 ? "The minister resigned." : "Markets were calm.", "By Jane Doe")).ToList();

        var boilerplate = Boilerplate.Learn(articles);

        Assert.Contains("The minister resigned.", boilerplate.Clean(articles[0]).Text, StringComparison.Ordinal);
        Assert.Contains("By Jane Doe", boilerplate.Clean(articles[5]).Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Markets were calm.", boilerplate.Clean(articles[5]).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_every_site_uses_are_dropped_even_in_a_single_article()
    {
        var article = Story(1, "Solo", "Advertisement");

        Assert.DoesNotContain("Advertisement", Boilerplate.None.Clean(article).Text, StringComparison.Ordinal);
    }
}
