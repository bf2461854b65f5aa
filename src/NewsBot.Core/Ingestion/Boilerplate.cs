using NewsBot.Core.Articles;
using NewsBot.Core.Text;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Page furniture that survives extraction: share bars, "Advertisement", newsletter pitches. A short paragraph that
/// recurs across many articles of one source is that source's boilerplate, learned from the articles of the run
/// (<see cref="Learn"/>) rather than from a list alone; a few lines every site uses are known up front. Such
/// paragraphs are dropped before an article is split into passages, so they never become passages or answers. A
/// paragraph that names an author ("By Jane Doe") is kept: bylines answer "who wrote".
/// </summary>
public sealed class Boilerplate
{
    /// <summary>Only paragraphs this short can be boilerplate: furniture is a line, not a paragraph of reporting.</summary>
    public const int MaxWords = 15;

    /// <summary>A line counts as a source's boilerplate once it is in this many of its articles…</summary>
    public const int MinArticles = 3;

    /// <summary>…and in at least this share of them.</summary>
    public const double MinShare = 0.1;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "advertisement", "advertisements", "sponsored", "sponsored content", "skip advertisement", "story continues below advertisement",
        "share this article", "share this story", "share", "share on facebook", "share on twitter", "share on x", "email", "print",
        "sign up here", "subscribe", "subscribe now", "read more", "related", "related articles", "related stories",
        "continue reading", "click here", "more from", "most popular", "trending now",
    };

    private readonly Dictionary<string, HashSet<string>> _bySource;

    private Boilerplate(Dictionary<string, HashSet<string>> bySource) => _bySource = bySource;

    public static Boilerplate None { get; } = new([]);

    /// <summary>The lines learned for each source (by source key), for tests and diagnostics.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Learned => _bySource;

    /// <summary>Counts each short paragraph over the articles of each source and keeps those that recur enough.</summary>
    public static Boilerplate Learn(IEnumerable<Article> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var totals = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var article in articles)
        {
            var source = SourceKey(article);
            totals[source] = totals.GetValueOrDefault(source) + 1;
            if (!counts.TryGetValue(source, out var lines))
                counts[source] = lines = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var line in Candidates(article.Text).Distinct(StringComparer.Ordinal))
                lines[line] = lines.GetValueOrDefault(line) + 1;
        }
        var learned = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (source, lines) in counts)
        {
            var total = totals[source];
            var recurring = lines.Where(l => l.Value >= MinArticles && l.Value >= total * MinShare).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
            if (recurring.Count > 0)
                learned[source] = recurring;
        }
        return new Boilerplate(learned);
    }

    /// <summary>The article without its source's boilerplate paragraphs (the same instance when there are none).</summary>
    public Article Clean(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var learned = _bySource.GetValueOrDefault(SourceKey(article));
        var paragraphs = article.Text.Split("\n\n");
        var kept = paragraphs.Where(p => Normalize(p) is not { } line || !(Known.Contains(line) || (learned?.Contains(line) ?? false))).ToList();
        if (kept.Count == paragraphs.Length || kept.Count == 0)
            return article;
        return article with { Text = string.Join("\n\n", kept) };
    }

    /// <summary>Articles of one source share furniture; without a source, the folder they came from stands in.</summary>
    private static string SourceKey(Article article) =>
        article.Source?.ToLowerInvariant() ?? (article.Origin is { } origin ? Path.GetDirectoryName(origin) ?? "" : "");

    private static IEnumerable<string> Candidates(string text)
    {
        foreach (var paragraph in text.Split("\n\n"))
        {
            if (Normalize(paragraph) is { } line)
                yield return line;
        }
    }

    /// <summary>A short paragraph folded for comparison, or null when it is too long to be furniture or is a byline.</summary>
    private static string? Normalize(string paragraph)
    {
        var trimmed = paragraph.Trim();
        if (trimmed.Length == 0 || trimmed.Length > 160 || SentenceSplitter.CountWords(trimmed, 0, trimmed.Length) > MaxWords || Bylines.ContainsByline(trimmed))
            return null;
        return TextShape.OneLine(TextNormalizer.FoldForMatching(trimmed)).ToLowerInvariant().TrimEnd('.', ':', '!', '…', ' ');
    }
}
