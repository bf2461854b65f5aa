using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Indexing;

namespace NewsBot.Qdrant;

public static class QdrantServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Qdrant collection as the <see cref="IPassageIndex"/>: binds <see cref="QdrantOptions"/> from the
    /// <c>Qdrant</c> section and validates them at start (<c>ValidateOnStart</c>).
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
        services.TryAddSingleton<IPassageIndex>(sp => new QdrantPassageIndex(
            sp.GetRequiredService<IOptions<QdrantOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}
