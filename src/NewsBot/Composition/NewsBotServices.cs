using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Embedding;
using NewsBot.Core.Evaluation;
using NewsBot.Core.Feedback;
using NewsBot.Core.Indexing;
using NewsBot.Core.Ingestion;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;
using NewsBot.Qdrant;
using NewsBot.Storage.Sqlite;
using NewsBot.Web;

namespace NewsBot.Host.Composition;

/// <summary>
/// The one place that knows which adapters are in use: builds the service provider from configuration, checking
/// every setting first so that a wrong one stops the program with a message naming its key.
/// </summary>
internal static class NewsBotServices
{
    /// <param name="withDiscord">Register the Discord bot (only <c>serve</c> needs it, so no other verb needs a token).</param>
    public static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? configure = null, bool withDiscord = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddLogging(logging =>
        {
            logging.AddConfiguration(configuration.GetSection("Logging"));
            // Logs go to standard error so that --json output on standard out stays one clean object.
            logging.AddConsole(o =>
            {
                o.FormatterName = Output.OneLineConsoleFormatter.FormatterName;
                o.LogToStandardErrorThreshold = LogLevel.Trace;
            });
            logging.AddConsoleFormatter<Output.OneLineConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        });

        AddSection<IndexOptions>(services, configuration, IndexOptions.SectionName);
        AddSection<ChunkingOptions>(services, configuration, ChunkingOptions.SectionName);
        AddSection<EmbeddingOptions>(services, configuration, EmbeddingOptions.SectionName);
        AddSection<RetrievalOptions>(services, configuration, RetrievalOptions.SectionName);
        AddSection<ExtractiveOptions>(services, configuration, ExtractiveOptions.SectionName);
        AddSection<LoaderOptions>(services, configuration, LoaderOptions.SectionName);

        AddEmbedder(services, configuration);
        ModelComposition.AddModelServices(services, configuration);
        AddIndex(services, configuration);
        AddFeedback(services, configuration);
        ModelComposition.AddAnswerers(services, configuration);

        services.AddSingleton<Chunker>();
        services.AddSingleton<ArticleLoader>();
        services.AddSingleton<Retriever>();
        services.AddSingleton<ExtractiveAnswerer>();
        services.AddSingleton<NewsAssistant>();
        services.AddSingleton<IngestionPipeline>();
        services.AddSingleton<EvalRunner>();
        AddFeeds(services, configuration);
        if (withDiscord)
            DiscordComposition.AddDiscord(services, configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
        try
        {
            ValidateOnStart(provider);
        }
        catch
        {
            provider.Dispose();
            throw;
        }
        return provider;
    }

    /// <summary>
    /// Runs every <c>ValidateOnStart</c> registration now, as a generic host would when it starts, so that a CLI verb
    /// stops with the message of each bad key (each written once) before it does any work.
    /// </summary>
    public static void ValidateOnStart(IServiceProvider provider)
    {
        try
        {
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            throw new ConfigurationException(string.Join(" ", ex.Failures.Distinct(StringComparer.Ordinal)), ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            var failures = ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Distinct(StringComparer.Ordinal);
            throw new ConfigurationException(string.Join(" ", failures), ex);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder's message names the key ("... at 'Retrieval:TopK' to type 'System.Int32'").
            throw new ConfigurationException($"A setting has the wrong type: {ex.Message} {ex.InnerException?.Message}".TrimEnd(), ex);
        }
    }

    /// <summary>
    /// Binds a section, validates its data annotations at start (<see cref="SectionOptionsValidator{T}"/>), and makes
    /// the bound value itself injectable for the Core classes that take it directly.
    /// </summary>
    public static void AddSection<T>(IServiceCollection services, IConfiguration configuration, string section)
        where T : class, new()
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SectionOptionsValidator<T>(section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }

    private static void AddEmbedder(IServiceCollection services, IConfiguration configuration)
    {
        if (string.Equals(configuration[$"{EmbeddingOptions.SectionName}:Provider"], "model", StringComparison.OrdinalIgnoreCase))
        {
            ModelComposition.AddModelEmbedder(services, configuration);
            return;
        }
        services.AddSingleton(sp => new HashingEmbedder(sp.GetRequiredService<EmbeddingOptions>().Dimensions));
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<HashingEmbedder>());
        services.AddSingleton(sp => sp.GetRequiredService<HashingEmbedder>().Descriptor);
    }

    /// <summary>
    /// Feed and page fetching (NewsBot.Web). The feeds' conditional-GET validators and item fingerprints are kept beside
    /// the embedded index (<c>&lt;index&gt;.feeds.json</c>), or in <c>newsbot-feeds.json</c> in the current folder with Qdrant.
    /// </summary>
    private static void AddFeeds(IServiceCollection services, IConfiguration configuration)
    {
        AddSection<FeedsOptions>(services, configuration, FeedsOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebFetcher>();
        services.AddSingleton(sp => new FeedStateStore(sp.GetRequiredService<FeedsOptions>().StatePath is { Length: > 0 } path && !string.IsNullOrWhiteSpace(path)
            ? path.Trim()
            : sp.GetRequiredService<IndexOptions>().IsQdrant
                ? "newsbot-feeds.json"
                : sp.GetRequiredService<IOptions<SqliteIndexOptions>>().Value.Path + ".feeds.json"));
        services.AddSingleton<WebIngestor>();
        services.AddSingleton<FeedPoller>();
    }

    /// <summary>
    /// Votes go into the embedded index file itself; with Qdrant (or when Feedback:Path is set) into a JSON Lines file,
    /// by default newsbot-feedback.jsonl in the current folder, beside ./appsettings.json.
    /// </summary>
    private static void AddFeedback(IServiceCollection services, IConfiguration configuration)
    {
        AddSection<FeedbackOptions>(services, configuration, FeedbackOptions.SectionName);
        services.AddSingleton<IFeedbackStore>(sp =>
        {
            var feedback = sp.GetRequiredService<FeedbackOptions>();
            if (!string.IsNullOrWhiteSpace(feedback.Path))
                return new JsonlFeedbackStore(feedback.Path.Trim());
            return sp.GetRequiredService<IndexOptions>().IsQdrant
                ? new JsonlFeedbackStore(FeedbackOptions.DefaultFile)
                : new SqliteFeedbackStore(sp.GetRequiredService<IOptions<SqliteIndexOptions>>().Value.Path);
        });
    }

    /// <summary>The index by Index:Provider; each adapter registers its own <see cref="IPassageIndex"/>.</summary>
    private static void AddIndex(IServiceCollection services, IConfiguration configuration)
    {
        if (string.Equals(configuration[$"{IndexOptions.SectionName}:Provider"], "qdrant", StringComparison.OrdinalIgnoreCase))
            services.AddNewsBotQdrant(configuration);
        else
            services.AddNewsBotSqliteIndex(configuration);
    }
}
