using System.Text.RegularExpressions;

namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// The <c>[n]</c> markers models write: <c>[1]</c>, <c>[1, 3]</c>, <c>[1][3]</c>, <c>[1-3]</c>, and the
/// <c>[Source 2]</c> some small models prefer. A marker is read as the list of numbers it names.
/// </summary>
internal static partial class CitationMarkers
{
    /// <summary>A range wider than this is not a citation (a model listing "[1-40]" has not read forty sources).</summary>
    private const int MaxRange = 10;

    public const string Pattern = @"\[\s*(?:(?:sources?|src|refs?)\s*)?\d{1,3}(?:\s*(?:[,;\-–—]|and|&)\s*(?:(?:sources?)\s*)?\d{1,3})*\s*\]";

    public static Regex Marker => MarkerRegex();

    /// <summary>The numbers named by every marker in <paramref name="text"/>, in order, repeats removed.</summary>
    public static List<int> Numbers(string text)
    {
        var numbers = new List<int>();
        foreach (Match match in MarkerRegex().Matches(text))
        {
            foreach (var n in Parse(match.Value))
            {
                if (!numbers.Contains(n))
                    numbers.Add(n);
            }
        }
        return numbers;
    }

    public static string Remove(string text) => MarkerRegex().Replace(text, " ");

    public static string Format(IEnumerable<int> numbers) => string.Concat(numbers.Select(n => $"[{n}]"));

    internal static IEnumerable<int> Parse(string marker)
    {
        var inner = marker.Trim('[', ']', ' ');
        foreach (Match item in ItemRegex().Matches(inner))
        {
            var from = int.Parse(item.Groups["from"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!item.Groups["to"].Success)
            {
                yield return from;
                continue;
            }
            var to = int.Parse(item.Groups["to"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (to >= from && to - from <= MaxRange)
            {
                for (var n = from; n <= to; n++)
                    yield return n;
            }
            else
            {
                yield return from;
                yield return to;
            }
        }
    }

    [GeneratedRegex(Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkerRegex();

    [GeneratedRegex(@"(?<from>\d{1,3})(?:\s*[\-–—]\s*(?:sources?\s*)?(?<to>\d{1,3}))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ItemRegex();
}
