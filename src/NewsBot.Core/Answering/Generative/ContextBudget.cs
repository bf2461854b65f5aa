namespace NewsBot.Core.Answering.Generative;

/// <summary>
/// Chooses the passages that fit the prompt's token budget, estimating a token as four characters. Passages come
/// best first, so the lowest-ranked are left out first; the best one is always sent, shortened when it alone is over.
/// </summary>
internal static class ContextBudget
{
    /// <summary>Characters a source's heading lines take besides its text (fence lines, title, date, URL labels).</summary>
    private const int HeadingOverhead = 60;

    public static List<(RetrievedPassage Passage, string Text)> Select(IReadOnlyList<RetrievedPassage> passages, int tokenBudget)
    {
        var budgetChars = (long)tokenBudget * 4;
        var chosen = new List<(RetrievedPassage, string)>();
        long used = 0;
        foreach (var passage in passages.OrderBy(p => p.Number))
        {
            var p = passage.Passage;
            var heading = HeadingOverhead + p.Title.Length + (p.Source?.Length ?? 0) + (p.Url?.Length ?? 0);
            var cost = heading + p.Text.Length;
            if (used + cost <= budgetChars)
            {
                chosen.Add((passage, p.Text));
                used += cost;
                continue;
            }
            if (chosen.Count == 0)
                chosen.Add((passage, Shorten(p.Text, (int)Math.Max(200, budgetChars - heading))));
            break;
        }
        return chosen;
    }

    private static string Shorten(string text, int maxChars)
    {
        if (text.Length <= maxChars)
            return text;
        var cut = text.LastIndexOf(' ', maxChars - 1);
        return string.Concat(text.AsSpan(0, cut > maxChars / 2 ? cut : maxChars - 1), "…");
    }
}
