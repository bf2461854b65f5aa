using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Answering.Generative;
using NewsBot.Core.Answering.Prompts;
using NewsBot.Core.Indexing;
using NewsBot.SemanticKernel;

namespace NewsBot.Host.Composition;

/// <summary>
/// Wires the model side: with Model:ChatModel set, answers come from a Semantic Kernel function made from
/// prompts/answer.yaml (the extractive answerer stays the fallback); with Embedding:Provider=model, passages are
/// embedded by Model:EmbeddingModel through Microsoft.Extensions.AI.OpenAI.
/// </summary>
internal static class ModelComposition
{
    public static bool ChatConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{ModelOptions.SectionName}:ChatModel"]);

    public static void AddModelServices(IServiceCollection services, IConfiguration configuration)
    {
        // Its ModelOptions are validated at start with the rest (NewsBotServices.ValidateOnStart).
        services.AddNewsBotSemanticKernel(configuration);
    }

    public static void AddModelEmbedder(IServiceCollection services, IConfiguration configuration)
    {
        var model = configuration.GetSection(ModelOptions.SectionName);
        var name = model["EmbeddingModel"];
        if (string.IsNullOrWhiteSpace(name))
            throw new ConfigurationException("Embedding:Provider=model needs Model:EmbeddingModel (and Model:Endpoint for a server other than OpenAI).");
        if (!int.TryParse(model["EmbeddingDimensions"], out var dimensions) || dimensions <= 0)
            throw new ConfigurationException("Embedding:Provider=model needs Model:EmbeddingDimensions: the vector size of Model:EmbeddingModel (the index records it).");
        services.AddSingleton(new EmbedderDescriptor("model:" + name, dimensions));
    }

    public static void AddAnswerers(IServiceCollection services, IConfiguration configuration)
    {
        NewsBotServices.AddSection<ModelAnswerOptions>(services, configuration, ModelAnswerOptions.SectionName);
        NewsBotServices.AddSection<PromptLibraryOptions>(services, configuration, PromptLibraryOptions.SectionName);
        services.AddSingleton(sp =>
        {
            try
            {
                return PromptLibrary.Load(sp.GetRequiredService<PromptLibraryOptions>());
            }
            catch (PromptException ex)
            {
                throw new ConfigurationException(ex.Message + " Set Prompts:Path to the folder of prompt files.", ex);
            }
        });
        // With a chat model, the prompt files are Semantic Kernel functions (IPromptFunctions) and answers come from
        // them, checked; without one, the extractive answerer answers.
        services.AddSingleton<IAnswerer>(sp => sp.GetService<IPromptFunctions>() is { } prompts
            ? new GenerativeAnswerer(prompts, sp.GetRequiredService<ExtractiveAnswerer>(),
                sp.GetRequiredService<IOptions<ModelAnswerOptions>>(), sp.GetRequiredService<ILogger<GenerativeAnswerer>>())
            : sp.GetRequiredService<ExtractiveAnswerer>());
        services.AddSingleton<IQuestionRewriter>(sp => new QuestionRewriter(sp.GetService<IPromptFunctions>(), sp.GetRequiredService<ILogger<QuestionRewriter>>()));
    }
}
