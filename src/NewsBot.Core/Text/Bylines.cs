using System.Text.RegularExpressions;

namespace NewsBot.Core.Text;

/// <summary>
/// Questions about who wrote an article, and the byline sentences that answer them ("By Jane Doe", "Follow Jane Doe
/// on Twitter", "Jane Doe contributed reporting"), which share no words with the question.
/// </summary>
public static partial class Bylines
{
    /// <summary>The words of an author question that say "who wrote", not what the article is about.</summary>
    public static readonly IReadOnlySet<string> AuthorWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "wrote", "written", "write", "writer", "author", "authored", "byline", "reporter", "reported", "penned", "journalist", "article", "story", "piece",
    };

    public static bool AsksForAuthor(string question) => AuthorQuestion().IsMatch(question);

    public static bool IsByline(string sentence) => BylineSentence().IsMatch(TextNormalizer.FoldForMatching(sentence));

    public static bool ContainsByline(string text) => BylineSentence().IsMatch(TextNormalizer.FoldForMatching(text));

    [GeneratedRegex(@"\b(who\s+(wrote|authored|penned|reported|is\s+the\s+(author|writer|reporter))|(author|writer|reporter|byline)\s+of|written\s+by|which\s+(reporter|journalist|writer))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorQuestion();

    [GeneratedRegex(@"(^|\n)\s*By\s+\p{Lu}[\p{L}'.-]+(\s+\p{Lu}[\p{L}'.-]+){0,3}\s*($|\n|,)|\bFollow\s+\p{Lu}[\p{L}'.-]+(\s+\p{Lu}[\p{L}'.-]+){0,3}\s+on\s+(Twitter|X|Instagram|Facebook|Threads|Bluesky|Mastodon)\b|\b\p{Lu}[\p{L}'.-]+\s+\p{Lu}[\p{L}'.-]+\s+contributed\s+(reporting|to\s+this\s+report)|\b(Reported|Written)\s+by\s+\p{Lu}", RegexOptions.CultureInvariant)]
    private static partial Regex BylineSentence();
}
