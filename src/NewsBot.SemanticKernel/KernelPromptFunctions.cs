using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using NewsBot.Core.Answering.Generative;
using NewsBot.Core.Answering.Prompts;
using NewsBot.SemanticKernel.Prompts;

namespace NewsBot.SemanticKernel;

/// <summary>
/// Each prompt file as a Semantic Kernel <see cref="KernelFunction"/>: its YAML fills a <see cref="PromptTemplateConfig"/>
/// (name, description, template, template_format, input variables with defaults and is_required, and the
/// <c>default</c> execution settings as <see cref="OpenAIPromptExecutionSettings"/>), rendered by
/// <see cref="HandlebarsPromptTemplateFactory"/> and invoked through the kernel with <see cref="KernelArguments"/>,
/// so the kernel's filters (<see cref="ChatPromptGuard"/> among them) see every call.
/// </summary>
public sealed partial class KernelPromptFunctions : IPromptFunctions
{
    /// <summary>The plugin the prompt functions are added to in the kernel.</summary>
    public const string PluginName = "news";

    private readonly Kernel _kernel;
    private readonly PromptLibrary _library;
    private readonly ModelOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (KernelFunction Function, PromptTemplateConfig Config)> _functions = new(StringComparer.Ordinal);

    /// <param name="kernel">A kernel whose plugins include <see cref="CreatePlugin"/>'s (the host registers that plugin in DI, so every kernel it builds has it).</param>
    public KernelPromptFunctions(Kernel kernel, PromptLibrary library, ModelOptions options, ILogger<KernelPromptFunctions> logger)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(options);
        _kernel = kernel;
        _library = library;
        _options = options;
        _logger = logger;
        if (!kernel.Plugins.TryGetPlugin(PluginName, out var plugin))
            kernel.Plugins.Add(plugin = CreatePlugin(library));
        foreach (var template in library.Templates)
        {
            if (plugin.TryGetFunction(template.Name, out var function))
                _functions[template.Name] = (function, ToConfig(template));
        }
    }

    /// <summary>The prompt files as one kernel plugin, <see cref="PluginName"/>: a function per file.</summary>
    public static KernelPlugin CreatePlugin(PromptLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var factory = new HandlebarsPromptTemplateFactory();
        return KernelPluginFactory.CreateFromFunctions(PluginName,
            library.Templates.Select(template => KernelFunctionFactory.CreateFromPrompt(ToConfig(template), factory)));
    }

    /// <summary>A prompt file's template as Semantic Kernel's configuration.</summary>
    public static PromptTemplateConfig ToConfig(PromptTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var config = new PromptTemplateConfig(template.Template)
        {
            Name = template.Name,
            Description = template.Description,
            TemplateFormat = HandlebarsPromptTemplateFactory.Format,
        };
        foreach (var variable in template.InputVariables)
        {
            config.InputVariables.Add(new InputVariable
            {
                Name = variable.Name,
                Description = variable.Description,
                IsRequired = variable.IsRequired,
                Default = variable.Default,
            });
        }
        var settings = template.ExecutionSettings;
        config.AddExecutionSettings(new OpenAIPromptExecutionSettings
        {
            Temperature = settings.Temperature,
            TopP = settings.TopP,
            MaxTokens = settings.MaxTokens,
            PresencePenalty = settings.PresencePenalty,
            FrequencyPenalty = settings.FrequencyPenalty,
            StopSequences = settings.StopSequences.Count > 0 ? [.. settings.StopSequences] : null,
        });
        return config;
    }

    public bool Contains(string prompt) => _library.Contains(prompt);

    public async Task<string> RenderSystemTextAsync(string prompt, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var (_, config) = Find(prompt);
        new HandlebarsPromptTemplateFactory().TryCreate(config, out var template);
        var rendered = await template!.RenderAsync(_kernel, Arguments(arguments), cancellationToken).ConfigureAwait(false);
        return PromptLibrary.SystemText(rendered, prompt);
    }

    public async Task<string> InvokeAsync(string prompt, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var (function, _) = Find(prompt);
        try
        {
            var result = await _kernel.InvokeAsync(function, Arguments(arguments), cancellationToken).ConfigureAwait(false);
            LogUsage(result, prompt);
            return result.GetValue<string>() ?? "";
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public async IAsyncEnumerable<string> InvokeStreamingAsync(string prompt, IReadOnlyDictionary<string, object?> arguments, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (function, _) = Find(prompt);
        var updates = _kernel.InvokeStreamingAsync<StreamingChatMessageContent>(function, Arguments(arguments), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        break;
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }
                if (updates.Current.Metadata?.TryGetValue("Usage", out var usage) == true && usage is OpenAI.Chat.ChatTokenUsage tokens)
                    LogTokens(_logger, prompt, tokens.InputTokenCount, tokens.OutputTokenCount);
                if (updates.Current.Content is { Length: > 0 } text)
                    yield return text;
            }
        }
    }

    private (KernelFunction Function, PromptTemplateConfig Config) Find(string prompt)
    {
        var name = _library.Get(prompt).Name;
        return _functions.TryGetValue(name, out var found)
            ? found
            : throw new PromptException($"There is no prompt function '{prompt}' in the kernel.");
    }

    private static KernelArguments Arguments(IReadOnlyDictionary<string, object?> values)
    {
        var arguments = new KernelArguments();
        foreach (var (key, value) in values)
            arguments[key] = value;
        return arguments;
    }

    private Exception? Translate(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        PromptRefusedException refused => new ModelUnavailableException(refused.Message, ModelFailure.BadResponse, refused),
        PromptException => null,
        _ => ModelErrors.Translate(exception, _options, "ChatModel", _options.ChatModel ?? "", cancellationToken),
    };

    private void LogUsage(FunctionResult result, string prompt)
    {
        if (result.Metadata?.TryGetValue("Usage", out var usage) == true && usage is OpenAI.Chat.ChatTokenUsage tokens)
            LogTokens(_logger, prompt, tokens.InputTokenCount, tokens.OutputTokenCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Prompt} prompt used {InputTokens} input and {OutputTokens} output tokens")]
    private static partial void LogTokens(ILogger logger, string prompt, int inputTokens, int outputTokens);
}
