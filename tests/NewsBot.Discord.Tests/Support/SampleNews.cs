using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Embedding;
using NewsBot.Core.Ingestion;
using NewsBot.Core.Passages;
using NewsBot.Core.Retrieval;
using NewsBot.TestSupport;

namespace NewsBot.Discord.Tests.Support;

/// <summary>The two sample articles, ingested by the real pipeline into an in-memory index, behind a real <see cref="NewsAssistant"/>.</summary>
internal static class SampleNews
{
    public const string IndependentArticle = "000_fed41627294e905a.txt";
    public const string ViceArticle = "003_1f7b7d4ed5a94d40.txt";

    public static async Task<(NewsAssistant Assistant, InMemoryPassageIndex Index)> CreateAsync(IAnswerer? answerer = null)
    {
        var embedder = new HashingEmbedder();
        var index = new InMemoryPassageIndex();
        var chunking = new ChunkingOptions();
        var pipeline = new IngestionPipeline(new ArticleLoader(new LoaderOptions()), new Chunker(chunking), embedder, embedder.Descriptor, index, chunking);
        await pipeline.RunAsync([RepositoryPaths.Samples], prune: false, progress: null, CancellationToken.None);
        index.Describe(IndependentArticle, "The Independent", "https://www.independent.co.uk/news/world/asia/north-korea-internet-down", new DateTimeOffset(2014, 12, 22, 0, 0, 0, TimeSpan.Zero));
        index.Describe(ViceArticle, "Vice", "https://www.vice.com/en/article/north-korea-internet-outage", new DateTimeOffset(2014, 12, 22, 17, 15, 0, TimeSpan.Zero));
        var retriever = new Retriever(index, embedder, Options.Create(new RetrievalOptions()));
        var assistant = new NewsAssistant(retriever, answerer ?? new ExtractiveAnswerer(Options.Create(new ExtractiveOptions())), index);
        return (assistant, index);
    }
}
