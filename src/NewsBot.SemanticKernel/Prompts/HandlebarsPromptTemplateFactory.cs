using Microsoft.SemanticKernel;
using NewsBot.Core.Answering.Prompts;

namespace NewsBot.SemanticKernel.Prompts;

/// <summary>
/// Renders <c>template_format: handlebars</c> for the kernel. Semantic Kernel's own Handlebars package is not in our
/// package registry, so this factory renders with Handlebars.Net (through Core's <see cref="PromptLibrary"/>) the way
/// SK's does: every argument value is HTML-encoded unless the prompt or variable sets AllowDangerouslySetContent,
/// which NewsBot never does, so article text can never open or close a <c>&lt;message&gt;</c> block.
/// </summary>
public sealed class HandlebarsPromptTemplateFactory : IPromptTemplateFactory
{
    public const string Format = PromptTemplate.HandlebarsFormat;

    public bool TryCreate(PromptTemplateConfig templateConfig, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPromptTemplate? result)
    {
        ArgumentNullException.ThrowIfNull(templateConfig);
        if (!string.Equals(templateConfig.TemplateFormat, Format, StringComparison.OrdinalIgnoreCase))
        {
            result = null;
            return false;
        }
        result = new HandlebarsPromptTemplate(templateConfig);
        return true;
    }

    private sealed class HandlebarsPromptTemplate(PromptTemplateConfig config) : IPromptTemplate
    {
        private readonly IReadOnlyList<PromptVariable> _variables =
            [.. config.InputVariables.Select(v => new PromptVariable(v.Name, v.Description, v.IsRequired, v.Default))];

        public Task<string> RenderAsync(Kernel kernel, KernelArguments? arguments = null, CancellationToken cancellationToken = default)
        {
            if (config.AllowDangerouslySetContent || config.InputVariables.Any(v => v.AllowDangerouslySetContent))
                throw new NotSupportedException($"The prompt '{config.Name}' asks for AllowDangerouslySetContent; NewsBot renders every value encoded.");
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, value) in arguments ?? [])
                values[name] = value;
            return Task.FromResult(PromptLibrary.RenderText(config.Template, _variables, config.Name ?? "prompt", values));
        }
    }
}
