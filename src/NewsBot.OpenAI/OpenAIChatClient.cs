using System.ClientModel;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Answering.Generative;
using OpenAI;
using Sdk = OpenAI.Chat;

namespace NewsBot.OpenAI;

/// <summary>
/// <see cref="IChatClient"/> over the OpenAI SDK's chat completions, for any OpenAI-compatible endpoint. Failures
/// surface as <see cref="ModelUnavailableException"/> with a message that says what to fix, after the retries of
/// <see cref="ModelOptions.MaxRetries"/>.
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    private readonly ModelOptions _options;
    private readonly OpenAIClientOptions _clientOptions;
    private readonly ApiKeyCredential _credential;
    private readonly string _model;
    private readonly ConcurrentDictionary<string, Sdk.ChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ChatClientMetadata _metadata;

    /// <param name="timeProvider">Clock for the waits between retries; the system clock when null.</param>
    public OpenAIChatClient(ModelOptions options, TimeProvider? timeProvider = null, ILogger<OpenAIChatClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ModelOptionsValidator.ThrowIfInvalid(options, "ChatModel", options.ChatModel);
        _options = options;
        _model = options.ChatModel!.Trim();
        _credential = OpenAIClientSettings.Credential(options);
        _clientOptions = OpenAIClientSettings.ClientOptions(options, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _metadata = new ChatClientMetadata("openai", options.EndpointUri, _model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _model;
        Sdk.ChatCompletion completion;
        try
        {
            var result = await Client(model).CompleteChatAsync(ToSdk(messages), ToSdk(options), cancellationToken).ConfigureAwait(false);
            completion = result.Value;
        }
        catch (Exception ex) when (ModelErrors.Translate(ex, _options, "ChatModel", model, cancellationToken) is { } translated)
        {
            throw translated;
        }
        var text = string.Concat(completion.Content.Where(p => p.Kind == Sdk.ChatMessageContentPartKind.Text).Select(p => p.Text));
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = ToFinishReason(completion.FinishReason),
            Usage = completion.Usage is { } usage
                ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                : null,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _model;
        var updates = Client(model).CompleteChatStreamingAsync(ToSdk(messages), ToSdk(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                // yield cannot sit inside a try with a catch, so the step that can fail is wrapped on its own.
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        break;
                }
                catch (Exception ex) when (ModelErrors.Translate(ex, _options, "ChatModel", model, cancellationToken) is { } translated)
                {
                    throw translated;
                }
                var update = updates.Current;
                var text = string.Concat(update.ContentUpdate.Where(p => p.Kind == Sdk.ChatMessageContentPartKind.Text).Select(p => p.Text));
                yield return new ChatResponseUpdate(ChatRole.Assistant, text)
                {
                    ResponseId = update.CompletionId,
                    ModelId = update.Model,
                    CreatedAt = update.CreatedAt,
                    FinishReason = update.FinishReason is { } reason ? ToFinishReason(reason) : null,
                };
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The SDK clients hold no resources of their own: the shared HttpClient belongs to the SDK.
    }

    private Sdk.ChatClient Client(string model) =>
        _clients.GetOrAdd(model, static (m, self) => new Sdk.ChatClient(m, self._credential, self._clientOptions), this);

    private static List<Sdk.ChatMessage> ToSdk(IEnumerable<ChatMessage> messages)
    {
        var result = new List<Sdk.ChatMessage>();
        foreach (var message in messages)
        {
            var text = message.Text;
            if (message.Role == ChatRole.System)
                result.Add(new Sdk.SystemChatMessage(text));
            else if (message.Role == ChatRole.User)
                result.Add(new Sdk.UserChatMessage(text));
            else if (message.Role == ChatRole.Assistant)
                result.Add(new Sdk.AssistantChatMessage(text));
            else
                throw new NotSupportedException($"Messages with the role '{message.Role}' are not supported by this client.");
        }
        return result;
    }

    private Sdk.ChatCompletionOptions ToSdk(ChatOptions? options)
    {
        var sdk = new Sdk.ChatCompletionOptions();
        if (options is null)
            return sdk;
        sdk.Temperature = options.Temperature;
        sdk.TopP = options.TopP;
        sdk.FrequencyPenalty = options.FrequencyPenalty;
        sdk.PresencePenalty = options.PresencePenalty;
        foreach (var stop in options.StopSequences ?? [])
            sdk.StopSequences.Add(stop);
        if (options.MaxOutputTokens is { } maxTokens)
        {
            if (_options.MaxTokensParameter == "max_completion_tokens")
            {
                sdk.MaxOutputTokenCount = maxTokens;
            }
            else
            {
                // The SDK only writes max_completion_tokens, which older servers and Ollama ignore; max_tokens is the
                // field every OpenAI-compatible server reads.
#pragma warning disable SCME0001 // JsonPatch is experimental; it is the SDK's way to set a field it does not model.
                sdk.Patch.Set("$.max_tokens"u8, maxTokens);
#pragma warning restore SCME0001
            }
        }
        if (options.ResponseFormat is ChatResponseFormatJson)
            sdk.ResponseFormat = Sdk.ChatResponseFormat.CreateJsonObjectFormat();
        return sdk;
    }

    private static ChatFinishReason ToFinishReason(Sdk.ChatFinishReason reason) => reason switch
    {
        Sdk.ChatFinishReason.Stop => ChatFinishReason.Stop,
        Sdk.ChatFinishReason.Length => ChatFinishReason.Length,
        Sdk.ChatFinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        Sdk.ChatFinishReason.ToolCalls or Sdk.ChatFinishReason.FunctionCall => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(reason.ToString().ToLowerInvariant()),
    };
}
