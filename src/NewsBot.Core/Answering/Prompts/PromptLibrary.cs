using System.Collections;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using HandlebarsDotNet;
using Microsoft.Extensions.AI;

namespace NewsBot.Core.Answering.Prompts;

/// <summary>
/// The prompt files of a folder, rendered with Handlebars into chat messages the way Semantic Kernel does: argument
/// values are HTML-encoded before rendering so that no value can open or close a <c>&lt;message role="..."&gt;</c>
/// block, the rendered text is split into those blocks (all of it is one user message when it has none), and each
/// message's text is decoded back, so the model sees the values exactly as given.
/// </summary>
public sealed partial class PromptLibrary
{
    private readonly Dictionary<string, Entry> _entries;

    private PromptLibrary(string? directory, Dictionary<string, Entry> entries)
    {
        Directory = directory;
        _entries = entries;
    }

    /// <summary>The folder the prompts were loaded from, or null when built from templates in memory.</summary>
    public string? Directory { get; }

    public IReadOnlyCollection<PromptTemplate> Templates => _entries.Values.Select(e => e.Template).Distinct().ToList();

    /// <summary>Loads the folder named by <see cref="PromptLibraryOptions.Path"/>, or the default <c>prompts/</c> folder.</summary>
    public static PromptLibrary Load(PromptLibraryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Load(FindDirectory(options.Path));
    }

    /// <summary>Loads every <c>*.yaml</c> and <c>*.yml</c> file of <paramref name="directory"/>.</summary>
    public static PromptLibrary Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new PromptException($"The prompts folder '{directory}' does not exist: set Prompts:Path to the folder that holds answer.yaml.");
        var files = System.IO.Directory.EnumerateFiles(directory, "*.yaml")
            .Concat(System.IO.Directory.EnumerateFiles(directory, "*.yml"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var templates = files.Select(f => PromptTemplate.Parse(File.ReadAllText(f), f)).ToList();
        return Build(Path.GetFullPath(directory), templates);
    }

    public static PromptLibrary FromTemplates(IEnumerable<PromptTemplate> templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        return Build(null, templates.ToList());
    }

    /// <summary>
    /// The prompts folder: <paramref name="configuredPath"/> when given (relative to the current folder), else the
    /// first <c>prompts/</c> holding prompt files beside the program, in the current folder, or in a parent of either.
    /// </summary>
    public static string FindDirectory(string? configuredPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            var full = Path.GetFullPath(configuredPath);
            return System.IO.Directory.Exists(full)
                ? full
                : throw new PromptException($"Prompts:Path is '{configuredPath}', but there is no folder '{full}'.");
        }
        var looked = new List<string>();
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "prompts");
                looked.Add(candidate);
                if (System.IO.Directory.Exists(candidate) && System.IO.Directory.EnumerateFiles(candidate, "*.y*ml").Any())
                    return candidate;
            }
        }
        throw new PromptException($"No prompts folder found (looked in {looked[0]}, {System.IO.Directory.GetCurrentDirectory()} and their parents): set Prompts:Path to the folder that holds answer.yaml.");
    }

    /// <summary>The template named <paramref name="name"/> (its <c>name</c> field, or its file name without extension).</summary>
    public PromptTemplate Get(string name) => Find(name).Template;

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>
    /// Renders a template. Values may be strings, numbers, dates, dictionaries (read by key in the template) and
    /// lists of those. Throws <see cref="PromptException"/> when a required variable has no value.
    /// </summary>
    public RenderedPrompt Render(string name, IReadOnlyDictionary<string, object?> arguments)
    {
        var entry = Find(name);
        var text = RenderText(entry.Template.InputVariables, entry.Template.Name, arguments, entry.Compiled);
        return new RenderedPrompt(ToMessages(text, entry.Template.Name), ToOptions(entry.Template.ExecutionSettings));
    }

    /// <summary>
    /// Renders Handlebars <paramref name="template"/> text as Semantic Kernel renders a prompt: every value is
    /// HTML-encoded first (so no value can open or close a <c>&lt;message&gt;</c> block; the chat prompt parser decodes
    /// the text again), defaults fill missing optional variables, a missing required one throws
    /// <see cref="PromptException"/>. The result keeps its <c>&lt;message role="…"&gt;</c> blocks.
    /// </summary>
    public static string RenderText(string template, IReadOnlyList<PromptVariable> variables, string name, IReadOnlyDictionary<string, object?> arguments) =>
        RenderText(variables, name, arguments, Compile(template, name));

    private static string RenderText(IReadOnlyList<PromptVariable> variables, string name, IReadOnlyDictionary<string, object?> arguments, Func<object, string> compiled)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var context = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in arguments)
            context[key] = Encode(value);
        foreach (var variable in variables)
        {
            if (context.TryGetValue(variable.Name, out var given) && given is not null)
                continue;
            if (variable.IsRequired)
                throw new PromptException($"The prompt '{name}' needs the variable '{variable.Name}', but no value was given.");
            context[variable.Name] = Encode(variable.Default ?? "");
        }
        try
        {
            return compiled(context);
        }
        catch (HandlebarsException ex)
        {
            throw new PromptException($"The prompt '{name}' could not be rendered: {ex.Message}", ex);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<object, string>> CompiledTemplates = new(StringComparer.Ordinal);

    // No HTML escaping by Handlebars: values are encoded before rendering and decoded after, as Semantic Kernel does.
    private static readonly IHandlebars Handlebars = HandlebarsDotNet.Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });

    private static Func<object, string> Compile(string template, string name) => CompiledTemplates.GetOrAdd(template, text =>
    {
        try
        {
            var compiled = Handlebars.Compile(text);
            return context => compiled(context);
        }
        catch (HandlebarsException ex)
        {
            throw new PromptException($"{name}: the template is not valid Handlebars: {ex.Message}", ex);
        }
    });

    private Entry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.TryGetValue(name, out var entry)
            ? entry
            : throw new PromptException($"There is no prompt '{name}' in {Directory ?? "the prompt library"} (it has {string.Join(", ", _entries.Keys.Order(StringComparer.Ordinal))}).");
    }

    private static PromptLibrary Build(string? directory, List<PromptTemplate> templates)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var template in templates)
        {
            var entry = new Entry(template, Compile(template.Template, template.FilePath ?? template.Name));
            if (!entries.TryAdd(template.Name, entry))
                throw new PromptException($"Two prompt files are named '{template.Name}' ({entries[template.Name].Template.FilePath} and {template.FilePath}).");
            if (template.FilePath is not null)
                entries.TryAdd(Path.GetFileNameWithoutExtension(template.FilePath), entry);
        }
        return new PromptLibrary(directory, entries);
    }

    private static object? Encode(object? value) => value switch
    {
        null => null,
        string s => WebUtility.HtmlEncode(s),
        bool or int or long or short or byte or double or float or decimal => value,
        DateTimeOffset d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IDictionary dictionary => EncodeDictionary(dictionary),
        IEnumerable list => list.Cast<object?>().Select(Encode).ToList(),
        _ => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static Dictionary<string, object?> EncodeDictionary(IDictionary dictionary)
    {
        var encoded = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry item in dictionary)
            encoded[Convert.ToString(item.Key, CultureInfo.InvariantCulture) ?? ""] = Encode(item.Value);
        return encoded;
    }

    /// <summary>The roles of the complete <c>&lt;message role="…"&gt;…&lt;/message&gt;</c> blocks of a template or rendered prompt, in order.</summary>
    public static IReadOnlyList<string> MessageRoles(string text) =>
        [.. MessageBlock().Matches(text).Select(m => m.Groups["role"].Value.ToLowerInvariant())];

    /// <summary>The decoded text of a rendered prompt's system messages: the instructions an answer must never repeat.</summary>
    public static string SystemText(string rendered, string name) =>
        string.Join("\n", ToMessages(rendered, name).Where(m => m.Role == ChatRole.System).Select(m => m.Text));

    private static List<ChatMessage> ToMessages(string text, string name)
    {
        var matches = MessageBlock().Matches(text);
        if (matches.Count == 0)
            return [new ChatMessage(ChatRole.User, Tidy(text))];
        var messages = new List<ChatMessage>(matches.Count);
        foreach (Match match in matches)
        {
            var role = match.Groups["role"].Value.ToLowerInvariant() switch
            {
                "system" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                var other => throw new PromptException($"The prompt '{name}' has a message with the unknown role '{other}' (use system, user or assistant)."),
            };
            messages.Add(new ChatMessage(role, Tidy(match.Groups["content"].Value)));
        }
        return messages;
    }

    private static string Tidy(string encoded) =>
        WebUtility.HtmlDecode(BlankLines().Replace(encoded.Replace("\r\n", "\n", StringComparison.Ordinal), "\n\n").Trim());

    private static ChatOptions ToOptions(PromptExecutionSettings settings)
    {
        var options = new ChatOptions
        {
            Temperature = settings.Temperature,
            TopP = settings.TopP,
            MaxOutputTokens = settings.MaxTokens,
            PresencePenalty = settings.PresencePenalty,
            FrequencyPenalty = settings.FrequencyPenalty,
        };
        if (settings.StopSequences.Count > 0)
            options.StopSequences = [.. settings.StopSequences];
        return options;
    }

    [GeneratedRegex("""<message\s+role\s*=\s*["'](?<role>[^"']+)["']\s*>(?<content>.*?)</message>""", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MessageBlock();

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)+")]
    private static partial Regex BlankLines();

    private sealed record Entry(PromptTemplate Template, Func<object, string> Compiled);
}
