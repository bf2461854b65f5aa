using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Answering.Generative;
using NewsBot.Core.Answering.Prompts;
using NewsBot.Core.Passages;
using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenAI;

namespace NewsBot.SemanticKernel.Tests;

/// <summary>Four news passages, the repository's prompt files, and answerers wired to a fake server.</summary>
internal static class Fixtures
{
    public const string ChatModel = "test-chat";

    public const string EmbeddingModel = "test-embed";

    public static readonly IReadOnlyList<RetrievedPassage> Passages =
    [
        Passage(1, "lagos-metro", "Lagos opens Blue Line metro", "https://news.example.com/lagos-metro", new DateTimeOffset(2023, 9, 4, 0, 0, 0, TimeSpan.Zero),
            "The Lagos Blue Line metro opened to passengers on Monday, carrying 20,000 riders on its first day. Governor Babajide Sanwo-Olu said the second phase would reach Okokomaiko by 2026."),
        Passage(2, "kenya-tea", "Kenya tea exports recover", "https://news.example.com/kenya-tea", new DateTimeOffset(2024, 1, 15, 0, 0, 0, TimeSpan.Zero),
            "Kenya's tea exports rose 12 percent in 2023 as prices at the Mombasa auction recovered. Farmers in Kericho said heavy rains had improved yields."),
        Passage(3, "main-street-bridge", "Council votes to close Main Street bridge", "https://news.example.com/bridge", new DateTimeOffset(2024, 3, 5, 0, 0, 0, TimeSpan.Zero),
            "The city council voted 7-2 on Tuesday to close the Main Street bridge for repairs starting in June. Engineers found corrosion in the steel supports."),
        Passage(4, "riverside-jazz", "Riverside jazz festival draws record crowd", "https://news.example.com/jazz", new DateTimeOffset(2024, 7, 22, 0, 0, 0, TimeSpan.Zero),
            "The Riverside jazz festival drew 45,000 visitors over three days, organisers said. Next year's edition will move to the harbour district."),
    ];

    public static PromptLibrary Prompts { get; } = PromptLibrary.Load(RepositoryPaths.Prompts);

    public static RetrievedPassage Passage(int number, string articleId, string title, string? url, DateTimeOffset? published, string text) =>
        new(number, new Passage
        {
            Id = Core.Passages.Passage.MakeId(articleId, 0),
            ArticleId = articleId,
            Ordinal = 0,
            Start = 0,
            End = text.Length,
            Text = text,
            Title = title,
            Source = "Example News",
            Url = url,
            Published = published,
        }, 1.0 / number, 0.8f);

    public static AnswerRequest Request(string question, IReadOnlyList<RetrievedPassage>? passages = null) =>
        new(question, passages ?? Passages, []);

    public static ModelOptions Options(FakeOpenAIServer server, Action<ModelOptions>? configure = null)
    {
        var options = new ModelOptions
        {
            Endpoint = server.Endpoint.ToString(),
            ChatModel = ChatModel,
            EmbeddingModel = EmbeddingModel,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>
    /// The model side as the host builds it: <c>AddNewsBotSemanticKernel</c> over the fake server's endpoint, with the
    /// given prompt library, and retries that wait milliseconds rather than seconds.
    /// </summary>
    public static ServiceProvider Services(FakeOpenAIServer server, Action<ModelOptions>? configure = null, PromptLibrary? prompts = null, ILoggerProvider? logs = null)
    {
        var options = Options(server, configure);
        var settings = new Dictionary<string, string?>
        {
            ["Model:Endpoint"] = options.Endpoint,
            ["Model:ApiKey"] = options.ApiKey,
            ["Model:ChatModel"] = options.ChatModel,
            ["Model:EmbeddingModel"] = options.EmbeddingModel,
            ["Model:EmbeddingDimensions"] = options.EmbeddingDimensions?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Model:TimeoutSeconds"] = options.TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Model:MaxRetries"] = options.MaxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Model:MaxTokensParameter"] = options.MaxTokensParameter,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
                logging.AddProvider(logs);
        });
        services.AddSingleton(prompts ?? Prompts);
        services.AddNewsBotSemanticKernel(configuration);
        services.PostConfigure<ModelOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(5));
        return services.BuildServiceProvider();
    }

    public static IPromptFunctions PromptFunctions(FakeOpenAIServer server, Action<ModelOptions>? configure = null, PromptLibrary? prompts = null) =>
        Services(server, configure, prompts).GetRequiredService<IPromptFunctions>();

    public static ExtractiveAnswerer Extractive() => new(Microsoft.Extensions.Options.Options.Create(new ExtractiveOptions()));

    public static GenerativeAnswerer Answerer(FakeOpenAIServer server, ModelAnswerOptions? answerOptions = null, object? time = null, Action<ModelOptions>? configure = null) =>
        new(PromptFunctions(server, configure), Extractive(), Microsoft.Extensions.Options.Options.Create(answerOptions ?? new ModelAnswerOptions()), NullLogger<GenerativeAnswerer>.Instance);

    public static async Task<Answer> FinalAsync(IAsyncEnumerable<AnswerUpdate> updates)
    {
        Answer? final = null;
        await foreach (var update in updates)
            final = update.Final ?? final;
        return final ?? throw new InvalidOperationException("The stream ended without a final answer.");
    }
}
