using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite index as the <see cref="IPassageIndex"/> (and as itself, for
    /// <see cref="SqlitePassageIndex.BeginBulk"/> and <see cref="SqlitePassageIndex.WarmUpAsync"/>). Bind
    /// <see cref="SqliteIndexOptions"/> from the <c>Index</c> section, or pass <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddNewsBotSqliteIndex(this IServiceCollection services, Action<SqliteIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<SqliteIndexOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.Path), "Set Index:Path to the index file, for example newsbot.db.")
            .ValidateOnStart();
        if (configure is not null)
            options.Configure(configure);
        services.TryAddSingleton(sp => new SqlitePassageIndex(
            sp.GetRequiredService<IOptions<SqliteIndexOptions>>().Value,
            sp.GetService<ILogger<SqlitePassageIndex>>()));
        services.TryAddSingleton<IPassageIndex>(sp => sp.GetRequiredService<SqlitePassageIndex>());
        return services;
    }
}
