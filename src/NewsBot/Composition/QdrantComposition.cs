using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Qdrant;

namespace NewsBot.Host.Composition;

/// <summary>Wires the Qdrant passage index when Index:Provider is qdrant.</summary>
internal static class QdrantComposition
{
    public static void AddQdrantIndex(IServiceCollection services, IConfiguration configuration)
    {
        // Checked now, so a bad Qdrant: setting stops the command with its key before anything connects.
        var options = new QdrantOptions();
        configuration.GetSection(QdrantOptions.SectionName).Bind(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ConfigurationException(string.Join(" ", errors));
        services.AddNewsBotQdrant(configuration);
        services.AddSingleton<IPassageIndex>(sp => sp.GetRequiredService<QdrantPassageIndex>());
    }
}
