using System.Text;
using System.Text.Json.Nodes;

namespace NewsBot.SemanticKernel;

/// <summary>
/// Sends the answer length limit under the name the server reads (Model:MaxTokensParameter). The OpenAI SDK behind
/// Semantic Kernel's connector writes <c>max_completion_tokens</c>, which OpenAI's reasoning models require but many
/// OpenAI-compatible servers (older Ollama, vLLM and LM Studio builds) ignore; with the default <c>max_tokens</c> the
/// field is renamed in the request body. Neither SK nor the SDK has a switch for this, hence a handler of our own.
/// </summary>
internal sealed class MaxTokensParameterHandler(ModelOptions options) : DelegatingHandler
{
    private const string Completion = "max_completion_tokens";
    private const string Legacy = "max_tokens";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content && request.Method == HttpMethod.Post
            && request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.Ordinal) == true)
        {
            var (from, to) = options.MaxTokensParameter == Legacy ? (Completion, Legacy) : (Legacy, Completion);
            var body = await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (body.Contains(from, StringComparison.Ordinal) && JsonNode.Parse(body) is JsonObject json && json.Remove(from, out var value))
            {
                json[to] = value;
                var rewritten = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
                foreach (var header in content.Headers.Where(h => !h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)))
                    rewritten.Headers.TryAddWithoutValidation(header.Key, header.Value);
                request.Content = rewritten;
            }
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
