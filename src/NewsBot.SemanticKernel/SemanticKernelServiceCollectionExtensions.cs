using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using NewsBot.Core.Answering.Generative;
using NewsBot.Core.Answering.Prompts;
using NewsBot.SemanticKernel.Prompts;
using OpenAI;

namespace NewsBot.SemanticKernel;

public static class SemanticKernelServiceCollectionExtensions
{
    /// <summary>The named HttpClient every model call goes through, with the standard resilience handler.</summary>
    public const string HttpClientName = "newsbot-model";

    /// <summary>The SDK requires a key even where the server ignores it (Ollama, vLLM, LM Studio).</summary>
    private const string PlaceholderKey = "no-key";

    /// <summary>
    /// Binds and validates the <c>Model</c> section (at start). With <c>Model:ChatModel</c> set: a <see cref="Kernel"/>
    /// with Semantic Kernel's OpenAI chat completion service, the prompt-render guard, and the prompt files as kernel
    /// functions (<see cref="IPromptFunctions"/>). With <c>Model:EmbeddingModel</c> set: an embedding generator from
    /// Microsoft.Extensions.AI.OpenAI. Both talk through one HttpClient whose standard resilience handler retries 429
    /// and 5xx honouring Retry-After; the OpenAI SDK's own retries are off. Neither set: nothing is registered, and the
    /// host keeps the extractive answerer.
    /// </summary>
    public static IServiceCollection AddNewsBotSemanticKernel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ModelOptions.SectionName);
        services.AddOptions<ModelOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>());
        var chat = !string.IsNullOrWhiteSpace(section["ChatModel"]);
        var embeddings = !string.IsNullOrWhiteSpace(section["EmbeddingModel"]);
        if (!chat && !embeddings)
            return services;

        AddModelHttpClient(services);
        services.TryAddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<ModelOptions>>().Value, sp.GetRequiredService<IHttpClientFactory>()));
        if (chat)
        {
            services.AddKernel();
            services.AddSingleton<Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService>(sp =>
                new Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIChatCompletionService(
                    sp.GetRequiredService<IOptions<ModelOptions>>().Value.ChatModel!, sp.GetRequiredService<OpenAIClient>(), sp.GetService<ILoggerFactory>()));
            services.AddSingleton<IPromptRenderFilter, ChatPromptGuard>();
            // As a plugin in DI, every kernel resolved from the container has the prompt functions (AddKernel makes
            // a kernel per resolution from the registered plugins, services and filters).
            services.AddSingleton(sp => KernelPromptFunctions.CreatePlugin(sp.GetRequiredService<PromptLibrary>()));
            services.TryAddSingleton<IPromptFunctions>(sp => new KernelPromptFunctions(
                sp.GetRequiredService<Kernel>(), sp.GetRequiredService<PromptLibrary>(),
                sp.GetRequiredService<IOptions<ModelOptions>>().Value, sp.GetRequiredService<ILogger<KernelPromptFunctions>>()));
        }
        if (embeddings)
        {
            services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
                var inner = sp.GetRequiredService<OpenAIClient>().GetEmbeddingClient(options.EmbeddingModel!).AsIEmbeddingGenerator(options.EmbeddingDimensions);
                return new ModelEmbeddingGenerator(inner, options);
            });
        }
        return services;
    }

    /// <summary>
    /// The standard resilience handler with timeouts for a language model (a long answer takes far longer than its
    /// 10 s default): each attempt may take Model:TimeoutSeconds, retried Model:MaxRetries times on 408, 429 and 5xx,
    /// waiting as long as Retry-After says.
    /// </summary>
    private static void AddModelHttpClient(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(sp => new MaxTokensParameterHandler(sp.GetRequiredService<IOptions<ModelOptions>>().Value))
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) =>
            {
                var options = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
                var attempt = TimeSpan.FromSeconds(options.TimeoutSeconds);
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
                if (options.MaxRetries == 0)
                    resilience.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                resilience.Retry.Delay = options.RetryDelay;
                resilience.Retry.UseJitter = true;
                resilience.Retry.ShouldRetryAfterHeader = true;
                resilience.TotalRequestTimeout.Timeout = (attempt * (options.MaxRetries + 1)) + TimeSpan.FromMinutes(2);
                resilience.CircuitBreaker.SamplingDuration = attempt * 2;
            });
    }

    private static OpenAIClient CreateClient(ModelOptions options, IHttpClientFactory httpClients) =>
        new(new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? PlaceholderKey : options.ApiKey.Trim()), new OpenAIClientOptions
        {
            Endpoint = options.EndpointUri,
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(HttpClientName)),
            // The resilience handler retries; the SDK must not retry again on top of it.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            UserAgentApplicationId = "newsbot",
        });
}
