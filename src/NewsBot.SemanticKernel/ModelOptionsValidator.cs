using Microsoft.Extensions.Options;

namespace NewsBot.SemanticKernel;

/// <summary>Checks the <c>Model</c> section at start, with messages naming the key to set.</summary>
public sealed class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Errors(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Endpoint)
            && (!Uri.TryCreate(options.Endpoint.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"Model:Endpoint must be an absolute http or https URL such as http://localhost:11434/v1 (it is '{options.Endpoint}').");
        }
        var usesModel = !string.IsNullOrWhiteSpace(options.ChatModel) || !string.IsNullOrWhiteSpace(options.EmbeddingModel);
        if (usesModel && string.IsNullOrWhiteSpace(options.Endpoint) && string.IsNullOrWhiteSpace(options.ApiKey))
            errors.Add("Model:ApiKey is required for the OpenAI API; for a local server set Model:Endpoint instead (e.g. http://localhost:11434/v1 for Ollama).");
        if (options.TimeoutSeconds is < 1 or > 3600)
            errors.Add($"Model:TimeoutSeconds must be between 1 and 3600 (it is {options.TimeoutSeconds}).");
        if (options.MaxRetries is < 0 or > 10)
            errors.Add($"Model:MaxRetries must be between 0 and 10 (it is {options.MaxRetries}).");
        if (options.EmbeddingDimensions is < 1 or > 65536)
            errors.Add($"Model:EmbeddingDimensions must be a positive vector size when set (it is {options.EmbeddingDimensions}).");
        if (options.MaxTokensParameter is not ("max_tokens" or "max_completion_tokens"))
            errors.Add($"Model:MaxTokensParameter must be max_tokens or max_completion_tokens (it is '{options.MaxTokensParameter}').");
        return errors;
    }

    /// <summary>Throws with every problem of <paramref name="options"/>, plus a missing model name when <paramref name="modelKey"/> is unset.</summary>
    public static void ThrowIfInvalid(ModelOptions options, string modelKey, string? model)
    {
        var errors = Errors(options);
        if (string.IsNullOrWhiteSpace(model))
            errors.Insert(0, $"Model:{modelKey} must name the model to use.");
        if (errors.Count > 0)
            throw new OptionsValidationException(ModelOptions.SectionName, typeof(ModelOptions), errors);
    }
}
