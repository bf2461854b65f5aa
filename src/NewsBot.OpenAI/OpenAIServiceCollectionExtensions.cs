using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.OpenAI;

public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the <c>Model</c> section (at start), and registers an <see cref="IChatClient"/> when
    /// <c>Model:ChatModel</c> is set and an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings when
    /// <c>Model:EmbeddingModel</c> is set. Either absent, nothing is registered for it, so the host can test
    /// <c>GetService&lt;IChatClient&gt;() is null</c> to keep the extractive answerer.
    /// </summary>
    public static IServiceCollection AddNewsBotOpenAI(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ModelOptions.SectionName);
        services.AddOptions<ModelOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        if (!string.IsNullOrWhiteSpace(section["ChatModel"]))
        {
            services.TryAddSingleton<IChatClient>(sp => new OpenAIChatClient(
                sp.GetRequiredService<IOptions<ModelOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<OpenAIChatClient>>()));
        }
        if (!string.IsNullOrWhiteSpace(section["EmbeddingModel"]))
        {
            services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new OpenAIEmbeddingGenerator(
                sp.GetRequiredService<IOptions<ModelOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<OpenAIEmbeddingGenerator>>()));
        }
        return services;
    }
}
