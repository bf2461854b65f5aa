using YamlDotNet.Serialization;

namespace NewsBot.Core.Answering.Prompts;

/// <summary>The YAML shape of a Semantic Kernel prompt file; keys the library does not use are ignored, as Semantic Kernel does.</summary>
internal sealed class PromptFile
{
    [YamlMember(Alias = "name")]
    public string? Name { get; set; }

    [YamlMember(Alias = "description")]
    public string? Description { get; set; }

    [YamlMember(Alias = "template_format")]
    public string? TemplateFormat { get; set; }

    [YamlMember(Alias = "template")]
    public string? Template { get; set; }

    [YamlMember(Alias = "input_variables")]
    public List<Variable>? InputVariables { get; set; }

    [YamlMember(Alias = "execution_settings")]
    public Dictionary<string, Dictionary<string, object?>>? ExecutionSettings { get; set; }

    internal sealed class Variable
    {
        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "description")]
        public string? Description { get; set; }

        [YamlMember(Alias = "is_required")]
        public bool? IsRequired { get; set; }

        [YamlMember(Alias = "default")]
        public object? Default { get; set; }
    }
}
