namespace NewsBot.Web;

/// <summary>
/// A site's robots.txt as RFC 9309 reads it, for one product token: the group naming our agent (else the <c>*</c>
/// group), its Allow and Disallow rules matched by the longest path prefix (<c>*</c> and a closing <c>$</c> honoured),
/// Allow winning a tie. No robots.txt (or a 4xx) allows everything. Our own because the registry serves no robots.txt
/// parser for .NET, and the rules we need fit in this class.
/// </summary>
internal sealed class RobotsRules
{
    public static readonly RobotsRules AllowAll = new([]);

    private readonly List<(bool Allow, string Pattern)> _rules;

    private RobotsRules(List<(bool Allow, string Pattern)> rules)
    {
        _rules = rules;
    }

    public static RobotsRules Parse(string text, string agent)
    {
        var groups = new List<(List<string> Agents, List<(bool, string)> Rules)>();
        (List<string> Agents, List<(bool, string)> Rules)? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            if (key == "user-agent")
            {
                if (current is null || !lastWasAgent)
                {
                    current = ([], []);
                    groups.Add(current.Value);
                }
                current.Value.Agents.Add(value.ToLowerInvariant());
                lastWasAgent = true;
                continue;
            }
            lastWasAgent = false;
            if (current is null || (key != "allow" && key != "disallow"))
                continue;
            if (value.Length > 0)
                current.Value.Rules.Add((key == "allow", value));
        }
        var token = agent.ToLowerInvariant();
        var chosen = groups.Where(g => g.Agents.Any(a => a != "*" && token.StartsWith(a, StringComparison.Ordinal))).SelectMany(g => g.Rules).ToList();
        if (chosen.Count == 0 && !groups.Any(g => g.Agents.Any(a => a != "*" && token.StartsWith(a, StringComparison.Ordinal))))
            chosen = groups.Where(g => g.Agents.Contains("*")).SelectMany(g => g.Rules).ToList();
        return new RobotsRules(chosen);
    }

    public bool Allows(string pathAndQuery)
    {
        var best = -1;
        var allowed = true;
        foreach (var (allow, pattern) in _rules)
        {
            if (!Matches(pattern, pathAndQuery))
                continue;
            if (pattern.Length > best || (pattern.Length == best && allow))
            {
                best = pattern.Length;
                allowed = allow;
            }
        }
        return allowed;
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var parts = (anchored ? pattern[..^1] : pattern).Split('*');
        var at = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var found = i == 0 ? (path.StartsWith(parts[0], StringComparison.Ordinal) ? 0 : -1) : path.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0)
                return false;
            at = found + parts[i].Length;
        }
        return !anchored || at == path.Length || (parts.Length > 1 && path.EndsWith(parts[^1], StringComparison.Ordinal));
    }
}
