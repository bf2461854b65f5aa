using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NewsBot.Qdrant;

public static class QdrantServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="QdrantOptions"/> from the <c>Qdrant</c> section, validates them at start, and registers
    /// <see cref="QdrantPassageIndex"/> as a singleton. The host maps <c>IPassageIndex</c> to it when
    /// <c>Index:Provider=qdrant</c>.
    /// </summary>
    public static IServiceCollection AddNewsBotQdrant(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QdrantOptions>()
            .Bind(configuration.GetSection(QdrantOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QdrantOptions>, QdrantOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new QdrantPassageIndex(
            sp.GetRequiredService<IOptions<QdrantOptions>>().Value,
            handler: null,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<QdrantPassageIndex>>()));
        return services;
    }
}
