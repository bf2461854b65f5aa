namespace NewsBot.Core.Answering.Prompts;

/// <summary>
/// Finds the root variables a Handlebars template reads: <c>{{name}}</c>, <c>{{{name}}}</c>, helper arguments, and
/// the subjects of <c>#if</c>, <c>#unless</c>, <c>#each</c> and <c>#with</c>. Inside <c>#each</c> and <c>#with</c>
/// names refer to the item, so they are not root variables unless reached through <c>@root.</c> or <c>../</c>.
/// </summary>
internal static class HandlebarsVariables
{
    private static readonly HashSet<string> Literals = new(StringComparer.Ordinal) { "true", "false", "null", "undefined", "this", "else" };

    public static SortedSet<string> Find(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        // Each entry says whether names at that depth are root variables (true) or members of an item (false).
        var scopes = new List<bool> { true };
        var i = 0;
        while (true)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
                break;
            if (open > 0 && template[open - 1] == '\\')
            {
                i = open + 2;
                continue;
            }
            var (body, next) = ReadMustache(template, open);
            i = next;
            if (body is null)
                continue;
            Visit(body, scopes, found);
        }
        return found;
    }

    private static (string? Body, int Next) ReadMustache(string template, int open)
    {
        if (string.CompareOrdinal(template, open, "{{!--", 0, 5) == 0)
        {
            var endComment = template.IndexOf("--}}", open + 5, StringComparison.Ordinal);
            return (null, endComment < 0 ? template.Length : endComment + 4);
        }
        var triple = string.CompareOrdinal(template, open, "{{{", 0, 3) == 0;
        var close = template.IndexOf(triple ? "}}}" : "}}", open + (triple ? 3 : 2), StringComparison.Ordinal);
        if (close < 0)
            throw new PromptException($"The template has an unclosed '{{{{' at character {open}.");
        var body = template[(open + (triple ? 3 : 2))..close].Trim().Trim('~').Trim();
        var next = close + (triple ? 3 : 2);
        return body.StartsWith('!') ? (null, next) : (body, next);
    }

    private static void Visit(string body, List<bool> scopes, SortedSet<string> found)
    {
        if (body.Length == 0 || body[0] == '>' || body == "^")
            return;
        if (body[0] == '/')
        {
            if (scopes.Count > 1)
                scopes.RemoveAt(scopes.Count - 1);
            return;
        }
        var parts = Split(body.TrimStart('#', '^', '&'));
        if (parts.Count == 0)
            return;
        var inRoot = scopes[^1];
        if (body[0] is '#' or '^')
        {
            var helper = parts[0];
            foreach (var argument in parts.Skip(1))
                AddPath(argument, scopes, found);
            // each and with change the context to the item; if, unless and other block helpers keep it.
            scopes.Add(helper is "each" or "with" ? false : inRoot);
            return;
        }
        if (parts[0] == "else")
        {
            // {{else if x}}: the helper's arguments are read in the enclosing block's context.
            foreach (var argument in parts.Skip(2))
                AddPath(argument, scopes, found);
            return;
        }
        if (parts.Count == 1)
        {
            AddPath(parts[0], scopes, found);
            return;
        }
        foreach (var argument in parts.Skip(1))
            AddPath(argument, scopes, found);
    }

    private static void AddPath(string argument, List<bool> scopes, SortedSet<string> found)
    {
        var value = argument;
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
            value = value[(equals + 1)..];
        if (value.Length == 0 || value[0] is '"' or '\'' or '(' || char.IsDigit(value[0]) || value[0] == '-' || Literals.Contains(value))
            return;
        var depth = scopes.Count - 1;
        if (value.StartsWith("@root.", StringComparison.Ordinal))
        {
            value = value["@root.".Length..];
            depth = 0;
        }
        else
        {
            while (value.StartsWith("../", StringComparison.Ordinal))
            {
                value = value[3..];
                depth = Math.Max(0, depth - 1);
            }
        }
        if (value.StartsWith("this.", StringComparison.Ordinal))
            value = value[5..];
        if (value.Length == 0 || value[0] == '@' || Literals.Contains(value))
            return;
        var end = value.IndexOfAny(['.', '/', '[']);
        var name = end < 0 ? value : value[..end];
        if (name.Length > 0 && scopes[depth])
            found.Add(name);
    }

    /// <summary>Splits a mustache body on white space, keeping quoted strings and sub-expressions whole.</summary>
    private static List<string> Split(string body)
    {
        var parts = new List<string>();
        var start = -1;
        var depth = 0;
        char quote = '\0';
        for (var i = 0; i <= body.Length; i++)
        {
            var c = i < body.Length ? body[i] : ' ';
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                continue;
            }
            if (c is '"' or '\'')
            {
                quote = c;
                if (start < 0)
                    start = i;
                continue;
            }
            if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
            if (char.IsWhiteSpace(c) && depth <= 0)
            {
                if (start >= 0)
                    parts.Add(body[start..i]);
                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        return parts;
    }
}
