namespace NewsBot.Core.Text;

/// <summary>Word 3-shingles, for spotting the same wire story printed by two outlets.</summary>
public static class Shingles
{
    public static HashSet<ulong> Of(string text)
    {
        var words = SearchTokenizer.Tokenize(text, keepStopWords: true);
        var set = new HashSet<ulong>();
        for (var i = 0; i + 2 < words.Count; i++)
            set.Add(Hash(words[i], words[i + 1], words[i + 2]));
        return set;
    }

    /// <summary>Overlap relative to the smaller set, so a passage contained in a longer one counts as a duplicate.</summary>
    public static double Overlap(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 || b.Count == 0)
            return 0;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var common = 0;
        foreach (var h in small)
        {
            if (large.Contains(h))
                common++;
        }
        return (double)common / small.Count;
    }

    private static ulong Hash(string a, string b, string c)
    {
        var h = 14695981039346656037UL;
        foreach (var part in (ReadOnlySpan<string>)[a, b, c])
        {
            foreach (var ch in part)
            {
                h ^= ch;
                h *= 1099511628211UL;
            }
            h ^= ' ';
            h *= 1099511628211UL;
        }
        return h;
    }
}
