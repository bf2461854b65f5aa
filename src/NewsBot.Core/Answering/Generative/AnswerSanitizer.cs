using System.Text.RegularExpressions;

namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// Makes model text safe to post: hidden reasoning removed, links kept only when they are the sources' own URLs, and
/// Discord mentions (<c>@everyone</c>, <c>@here</c>, <c>&lt;@id&gt;</c>, <c>&lt;@&amp;id&gt;</c>, <c>&lt;#id&gt;</c>)
/// broken with a zero-width space so they show as text and ping no one.
/// </summary>
internal static partial class AnswerSanitizer
{
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>Everything a partial or final answer gets before it is shown.</summary>
    public static string ForDisplay(string text, IReadOnlySet<string> allowedUrls) =>
        NeutralizeMentions(StripLinks(RemoveReasoning(text), allowedUrls));

    /// <summary>Removes <c>&lt;think&gt;</c> blocks that reasoning models served by Ollama or vLLM put before the answer.</summary>
    public static string RemoveReasoning(string text)
    {
        var result = ThinkBlock().Replace(text, "");
        // While streaming, a block may not be closed yet: hide what has arrived of it.
        var open = result.IndexOf("<think>", StringComparison.OrdinalIgnoreCase);
        return open >= 0 ? result[..open] : result;
    }

    public static string NeutralizeMentions(string text)
    {
        var result = EveryoneOrHere().Replace(text, m => $"@{ZeroWidthSpace}{m.Value[1..]}");
        return MentionSyntax().Replace(result, $"<{ZeroWidthSpace}");
    }

    /// <summary>Keeps links to the sources' own URLs; any other link is removed (a masked link keeps its text).</summary>
    public static string StripLinks(string text, IReadOnlySet<string> allowedUrls)
    {
        var result = MarkdownLink().Replace(text, m =>
        {
            var label = m.Groups["label"].Value;
            var allowed = IsAllowed(m.Groups["url"].Value, allowedUrls);
            // [2](url) is a citation marker with a link: the citation carries the source's URL already.
            if (CitationMarkers.Marker.IsMatch("[" + label + "]"))
                return $"[{label}]";
            if (allowed)
                return m.Value;
            return BareUrl().IsMatch(label) ? "" : label;
        });
        result = AngleLink().Replace(result, m => IsAllowed(m.Groups["url"].Value, allowedUrls) ? m.Groups["url"].Value : "");
        result = BareUrl().Replace(result, m =>
        {
            var url = m.Value.TrimEnd('.', ',', ';', ':', '!', '?', ')', '\'', '"', '*', '_');
            var tail = m.Value[url.Length..];
            return (IsAllowed(url, allowedUrls) ? url : "") + tail;
        });
        return Tidy(result);
    }

    /// <summary>The words of a sentence that make a claim: links and mentions say nothing a source could support.</summary>
    public static string ClaimText(string sentence)
    {
        var result = BareUrl().Replace(sentence, " ");
        result = MentionToken().Replace(result, " ");
        return EveryoneOrHere().Replace(result, " ");
    }

    public static HashSet<string> AllowedUrls(IEnumerable<RetrievedPassage> passages)
    {
        var urls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var passage in passages)
        {
            if (!string.IsNullOrWhiteSpace(passage.Passage.Url))
                urls.Add(NormalizeUrl(passage.Passage.Url));
        }
        return urls;
    }

    private static bool IsAllowed(string url, IReadOnlySet<string> allowedUrls) => allowedUrls.Contains(NormalizeUrl(url));

    private static string NormalizeUrl(string url)
    {
        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri))
            return trimmed.TrimEnd('/');
        var path = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
        return path.TrimEnd('/');
    }

    private static string Tidy(string text)
    {
        var result = EmptyBrackets().Replace(text, "");
        result = SpaceBeforePunctuation().Replace(result, "$1");
        return DoubleSpace().Replace(result, " ");
    }

    [GeneratedRegex(@"<think>.*?</think>\s*", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ThinkBlock();

    [GeneratedRegex(@"@(?:everyone|here)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EveryoneOrHere();

    [GeneratedRegex(@"<(?=[@#][!&]?\s*\d|/[\w-]+:\d)")]
    private static partial Regex MentionSyntax();

    [GeneratedRegex(@"<[@#][!&]?\s*\d+>")]
    private static partial Regex MentionToken();

    [GeneratedRegex(@"\[(?<label>[^\[\]\n]{0,300})\]\(\s*<?(?<url>[^()\s<>]+)>?(?:\s+""[^""\n]*"")?\s*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<(?<url>[a-z][a-z0-9+.\-]{1,20}:[^<>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AngleLink();

    [GeneratedRegex(@"(?<![\w@/.])(?:[a-z][a-z0-9+.\-]{1,20}://|www\.)[^\s<>""'\[\]{}|\\^`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"\(\s*\)|\[\s*\]|<\s*>")]
    private static partial Regex EmptyBrackets();

    [GeneratedRegex(@"[ \t]+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex DoubleSpace();
}
