using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite index as the <see cref="IPassageIndex"/>: binds <see cref="SqliteIndexOptions"/>
    /// from the <c>Index</c> section and validates them at start (<c>ValidateOnStart</c>).
    /// </summary>
    public static IServiceCollection AddNewsBotSqliteIndex(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SqliteIndexOptions>()
            .Bind(configuration.GetSection(SqliteIndexOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteIndexOptions>, SqliteIndexOptionsValidator>());
        services.TryAddSingleton<IPassageIndex>(sp => new SqlitePassageIndex(
            sp.GetRequiredService<IOptions<SqliteIndexOptions>>().Value,
            sp.GetService<ILogger<SqlitePassageIndex>>()));
        return services;
    }
}
