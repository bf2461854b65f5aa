using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace NewsBot.Core.Answering.Prompts;

/// <summary>
/// A prompt file in Semantic Kernel's YAML format (name, description, template_format: handlebars, template,
/// input_variables, execution_settings), so the same file loads into Semantic Kernel unchanged.
/// </summary>
public sealed record PromptTemplate
{
    public const string HandlebarsFormat = "handlebars";

    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required string Template { get; init; }

    public IReadOnlyList<PromptVariable> InputVariables { get; init; } = [];

    public PromptExecutionSettings ExecutionSettings { get; init; } = PromptExecutionSettings.None;

    /// <summary>The file the template was read from, or null when it was parsed from text.</summary>
    public string? FilePath { get; init; }

    /// <summary>The root variables the template reads (helpers' arguments and block subjects included).</summary>
    public IReadOnlySet<string> ReferencedVariables => HandlebarsVariables.Find(Template);

    /// <summary>
    /// Parses a prompt file. Throws <see cref="PromptException"/> when it is not valid YAML, is not a Handlebars
    /// template, or its template reads a variable that <c>input_variables</c> does not declare.
    /// </summary>
    public static PromptTemplate Parse(string yaml, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var where = filePath ?? "the prompt";
        PromptFile? file;
        try
        {
            file = Yaml.Deserialize<PromptFile>(yaml);
        }
        catch (YamlException ex)
        {
            throw new PromptException($"{where} is not valid YAML (line {ex.Start.Line}): {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        if (file is null)
            throw new PromptException($"{where} is empty.");
        if (string.IsNullOrWhiteSpace(file.Name))
            throw new PromptException($"{where} has no 'name'.");
        if (string.IsNullOrWhiteSpace(file.Template))
            throw new PromptException($"{where} has no 'template'.");
        if (!string.Equals(file.TemplateFormat, HandlebarsFormat, StringComparison.OrdinalIgnoreCase))
            throw new PromptException($"{where} must say 'template_format: handlebars' (found '{file.TemplateFormat}').");

        var variables = new List<PromptVariable>();
        foreach (var v in file.InputVariables ?? [])
        {
            if (string.IsNullOrWhiteSpace(v.Name))
                throw new PromptException($"{where} has an input variable without a name.");
            if (variables.Any(x => x.Name == v.Name))
                throw new PromptException($"{where} declares the input variable '{v.Name}' twice.");
            // Semantic Kernel treats a variable as required unless the file says otherwise.
            variables.Add(new PromptVariable(v.Name, v.Description, v.IsRequired ?? true, v.Default));
        }

        var template = new PromptTemplate
        {
            Name = file.Name,
            Description = file.Description?.Trim(),
            Template = file.Template,
            InputVariables = variables,
            ExecutionSettings = ReadSettings(file.ExecutionSettings, where),
            FilePath = filePath,
        };
        var undeclared = template.ReferencedVariables.Where(name => variables.All(v => v.Name != name)).ToList();
        if (undeclared.Count > 0)
            throw new PromptException($"{where}: the template uses {string.Join(", ", undeclared.Select(n => $"'{n}'"))} but input_variables does not declare {(undeclared.Count == 1 ? "it" : "them")}.");
        return template;
    }

    private static PromptExecutionSettings ReadSettings(Dictionary<string, Dictionary<string, object?>>? all, string where)
    {
        if (all is null || all.Count == 0)
            return PromptExecutionSettings.None;
        var settings = all.TryGetValue("default", out var d) ? d : all.First().Value;
        if (settings is null)
            return PromptExecutionSettings.None;
        return new PromptExecutionSettings
        {
            Temperature = Number(settings, "temperature", where),
            TopP = Number(settings, "top_p", where),
            MaxTokens = (int?)Number(settings, "max_tokens", where),
            PresencePenalty = Number(settings, "presence_penalty", where),
            FrequencyPenalty = Number(settings, "frequency_penalty", where),
            StopSequences = settings.TryGetValue("stop_sequences", out var stop) && stop is IEnumerable<object> list
                ? list.Select(s => Convert.ToString(s, CultureInfo.InvariantCulture) ?? "").Where(s => s.Length > 0).ToList()
                : [],
        };
    }

    private static float? Number(Dictionary<string, object?> settings, string key, string where)
    {
        if (!settings.TryGetValue(key, out var value) || value is null)
            return null;
        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return number;
        throw new PromptException($"{where}: execution_settings '{key}' must be a number (found '{text}').");
    }
}
