using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Embedding;
using NewsBot.Core.Evaluation;
using NewsBot.Core.Indexing;
using NewsBot.Core.Ingestion;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Host.Composition;

/// <summary>
/// The one place that knows which adapters are in use: builds the service provider from configuration, checking
/// every setting first so that a wrong one stops the program with a message naming its key.
/// </summary>
internal static class NewsBotServices
{
    public static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            // Logs go to standard error so that --json output on standard out stays one clean object.
            logging.AddSimpleConsole(o => o.SingleLine = true);
            logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        });

        var index = Bind<IndexOptions>(configuration, IndexOptions.SectionName);
        var chunking = Bind<ChunkingOptions>(configuration, ChunkingOptions.SectionName);
        var embedding = Bind<EmbeddingOptions>(configuration, EmbeddingOptions.SectionName);
        var retrieval = Bind<RetrievalOptions>(configuration, RetrievalOptions.SectionName);
        var extractive = Bind<ExtractiveOptions>(configuration, ExtractiveOptions.SectionName);
        var loader = Bind<LoaderOptions>(configuration, LoaderOptions.SectionName);

        services.AddSingleton(index);
        services.AddSingleton(chunking);
        services.AddSingleton(embedding);
        services.AddSingleton(Options.Create(retrieval));
        services.AddSingleton(Options.Create(extractive));
        services.AddSingleton(loader);

        AddEmbedder(services, configuration, embedding);
        ModelComposition.AddModelServices(services, configuration);
        AddIndex(services, configuration, index);
        ModelComposition.AddAnswerers(services, configuration);

        services.AddSingleton<Chunker>();
        services.AddSingleton<ArticleLoader>();
        services.AddSingleton<Retriever>();
        services.AddSingleton<ExtractiveAnswerer>();
        services.AddSingleton<NewsAssistant>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<EvalRunner>();
        DiscordComposition.AddDiscord(services, configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
    }

    private static void AddEmbedder(IServiceCollection services, IConfiguration configuration, EmbeddingOptions options)
    {
        if (string.Equals(options.Provider, "model", StringComparison.OrdinalIgnoreCase))
        {
            ModelComposition.AddModelEmbedder(services, configuration);
            return;
        }
        var embedder = new HashingEmbedder(options.Dimensions);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embedder);
        services.AddSingleton(embedder.Descriptor);
    }

    private static void AddIndex(IServiceCollection services, IConfiguration configuration, IndexOptions options)
    {
        if (options.IsQdrant)
        {
            QdrantComposition.AddQdrantIndex(services, configuration);
            return;
        }
        services.AddSingleton<IPassageIndex>(sp => new SqlitePassageIndex(
            new SqliteIndexOptions { Path = Path.GetFullPath(options.Path) },
            sp.GetService<ILogger<SqlitePassageIndex>>()));
    }

    /// <summary>Binds a section and checks its data annotations, throwing a message that names each bad key.</summary>
    public static T Bind<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConfigurationException($"A {section}: setting has the wrong type: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            var messages = results.Select(r => r.MemberNames.Any() && !(r.ErrorMessage ?? "").Contains(section + ":", StringComparison.Ordinal)
                ? $"{section}:{r.MemberNames.First()}: {r.ErrorMessage}"
                : r.ErrorMessage);
            throw new ConfigurationException(string.Join(" ", messages));
        }
        return value;
    }
}
