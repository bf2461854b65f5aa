using System.ClientModel;
using System.Text.Json;
using NewsBot.Core.Answering.Generative;

namespace NewsBot.SemanticKernel;

/// <summary>Turns the SDK's failures into <see cref="ModelUnavailableException"/>s whose one-line message says what to fix.</summary>
internal static class ModelErrors
{
    private const int MaxDetailChars = 200;

    /// <param name="modelKey">The setting that names the model: ChatModel or EmbeddingModel.</param>
    /// <returns>The exception to throw instead, or null to let <paramref name="exception"/> through (the caller's own cancellation).</returns>
    public static ModelUnavailableException? Translate(Exception exception, ModelOptions options, string modelKey, string model, CancellationToken cancellationToken)
    {
        // Semantic Kernel wraps the OpenAI SDK's failures; the SDK's exception says what happened.
        if (exception is Microsoft.SemanticKernel.HttpOperationException { InnerException: { } inner } && inner is ClientResultException or HttpRequestException or IOException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
            exception = inner;
        switch (exception)
        {
            case ModelUnavailableException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case OperationCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException:
                return new ModelUnavailableException(
                    $"The model endpoint did not answer within {options.TimeoutSeconds} s: check that the server at {Where(options)} is up, or raise Model:TimeoutSeconds",
                    ModelFailure.Timeout, exception);
            case ClientResultException { Status: 0 } or HttpRequestException or IOException:
                return new ModelUnavailableException(
                    $"Could not reach the model endpoint at {Where(options)}: check Model:Endpoint and that the server is running ({Innermost(exception).Message.TrimEnd('.')})",
                    ModelFailure.Unavailable, exception);
            case ClientResultException result:
                return FromStatus(result, options, modelKey, model);
            default:
                return null;
        }
    }

    private static ModelUnavailableException FromStatus(ClientResultException exception, ModelOptions options, string modelKey, string model)
    {
        var status = exception.Status;
        var (code, detail) = ReadError(exception);
        var message = status switch
        {
            401 => ("The model endpoint rejected the API key: check Model:ApiKey", ModelFailure.Unauthorized),
            403 => ($"The model endpoint refused access to '{model}' (HTTP 403): check Model:ApiKey", ModelFailure.Unauthorized),
            404 when code == "model_not_found" || detail.Contains("model", StringComparison.OrdinalIgnoreCase) =>
                ($"The model endpoint has no model '{model}': check Model:{modelKey}", ModelFailure.UnknownModel),
            404 => ($"The model endpoint at {Where(options)} has no {(modelKey == "ChatModel" ? "chat completions" : "embeddings")} API (HTTP 404): check Model:Endpoint, which usually ends in /v1", ModelFailure.Unavailable),
            429 => ($"The model endpoint is still rate limiting after {options.MaxRetries} retries (HTTP 429){Detail(detail)}", ModelFailure.Unavailable),
            >= 500 => ($"The model endpoint failed with HTTP {status} after {options.MaxRetries} retries{Detail(detail)}", ModelFailure.Unavailable),
            _ => ($"The model endpoint rejected the request (HTTP {status}){Detail(detail)}", ModelFailure.BadResponse),
        };
        return new ModelUnavailableException(message.Item1, message.Item2, exception);
    }

    /// <summary>The endpoint without user info or query, safe to show.</summary>
    private static string Where(ModelOptions options)
    {
        var uri = options.EndpointUri;
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private static string Detail(string detail) => detail.Length == 0 ? "" : $": {detail}";

    private static Exception Innermost(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner;
    }

    /// <summary>The <c>error.code</c> and <c>error.message</c> of an OpenAI-style error body, if there is one.</summary>
    private static (string Code, string Message) ReadError(ClientResultException exception)
    {
        try
        {
            var content = exception.GetRawResponse()?.Content;
            if (content is null || content.ToMemory().IsEmpty)
                return ("", "");
            using var document = JsonDocument.Parse(content.ToMemory());
            var root = document.RootElement;
            var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) ? e : root;
            if (error.ValueKind == JsonValueKind.String)
                return ("", Shorten(error.GetString() ?? ""));
            if (error.ValueKind != JsonValueKind.Object)
                return ("", "");
            var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            return (code, Shorten(message));
        }
        catch (JsonException)
        {
            return ("", "");
        }
        catch (InvalidOperationException)
        {
            // The body of a streamed response was not buffered.
            return ("", "");
        }
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= MaxDetailChars ? line : string.Concat(line.AsSpan(0, MaxDetailChars - 1), "…");
    }
}
