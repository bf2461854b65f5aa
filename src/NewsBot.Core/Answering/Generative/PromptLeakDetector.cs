using System.Text.RegularExpressions;
using NewsBot.Core.Text;

namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// Spots text that repeats the instructions: any run of <see cref="RunLength"/> words shared with the system prompt,
/// wherever it starts, across sentence ends too (a prompt copied line by line has short lines). Eight words in the
/// same order are very unlikely to occur by chance in an answer about the news, and shorter fragments of the rules
/// reveal nothing worth hiding.
/// </summary>
internal sealed partial class PromptLeakDetector
{
    public const int RunLength = 8;

    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);

    public PromptLeakDetector(string instructions)
    {
        var words = Words(instructions);
        for (var i = 0; i + RunLength <= words.Count; i++)
            _runs.Add(Run(words, i));
    }

    /// <summary>The character ranges of <paramref name="text"/> covered by runs of words from the instructions.</summary>
    public List<(int Start, int End)> Leaks(string text)
    {
        var ranges = new List<(int Start, int End)>();
        if (_runs.Count == 0)
            return ranges;
        var words = Words(text);
        for (var i = 0; i + RunLength <= words.Count; i++)
        {
            if (!_runs.Contains(Run(words, i)))
                continue;
            var start = words[i].Index;
            var end = words[i + RunLength - 1].Index + words[i + RunLength - 1].Length;
            if (ranges.Count > 0 && ranges[^1].End >= start)
                ranges[^1] = (ranges[^1].Start, end);
            else
                ranges.Add((start, end));
        }
        return ranges;
    }

    private static string Run(List<Match> words, int start)
    {
        var parts = new string[RunLength];
        for (var i = 0; i < RunLength; i++)
            parts[i] = TextNormalizer.FoldForMatching(words[start + i].Value).ToLowerInvariant();
        return string.Join(' ', parts);
    }

    private static List<Match> Words(string text) => [.. WordRegex().Matches(text).Cast<Match>()];

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)*")]
    private static partial Regex WordRegex();
}
