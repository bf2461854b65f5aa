using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Generative;
using NewsBot.TestSupport.OpenAI;

namespace NewsBot.SemanticKernel.Tests;

public sealed class QuestionRewriterTests
{
    private static readonly ConversationTurn[] History =
    [
        new("When did the Lagos metro open?", "The Lagos Blue Line metro opened on Monday. [1]"),
    ];

    private static QuestionRewriter WithModel(FakeOpenAIServer server, Action<ModelOptions>? configure = null) =>
        new(Fixtures.PromptFunctions(server, configure), NullLogger<QuestionRewriter>.Instance);

    [Fact]
    public async Task Asks_the_model_with_the_conversation_and_returns_its_one_line()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("Standalone question: \"When will the Lagos Blue Line metro reach Okokomaiko?\"\n"));

        var rewritten = await WithModel(server).RewriteAsync("When will it reach Okokomaiko?", History, CancellationToken.None);

        Assert.Equal("When will the Lagos Blue Line metro reach Okokomaiko?", rewritten);
        var request = Assert.Single(server.ChatRequests);
        Assert.Contains("User: When did the Lagos metro open?", request.UserText, StringComparison.Ordinal);
        Assert.Contains("Assistant: The Lagos Blue Line metro opened on Monday.", request.UserText, StringComparison.Ordinal);
        Assert.DoesNotContain("[1]", request.UserText, StringComparison.Ordinal);
        Assert.Contains("Last question: When will it reach Okokomaiko?", request.UserText, StringComparison.Ordinal);
        var settings = Fixtures.Prompts.Get("rewrite_question").ExecutionSettings;
        Assert.Equal(settings.Temperature!.Value, request.Temperature!.Value, 3);
        Assert.Equal(settings.MaxTokens, request.MaxTokens);
    }

    [Fact]
    public async Task A_first_question_is_left_alone_without_asking_the_model()
    {
        await using var server = await FakeOpenAIServer.StartAsync();

        var rewritten = await WithModel(server).RewriteAsync(" When did the Lagos metro open? ", [], CancellationToken.None);

        Assert.Equal("When did the Lagos metro open?", rewritten);
        Assert.Empty(server.ChatRequests);
    }

    [Fact]
    public async Task Without_a_model_carries_the_previous_questions_key_terms_over()
    {
        var rewriter = new QuestionRewriter(null);

        var rewritten = await rewriter.RewriteAsync("How many riders did it carry?", History, CancellationToken.None);

        Assert.Equal("How many riders did it carry? Lagos metro open", rewritten);
    }

    [Fact]
    public async Task Without_a_model_a_short_follow_up_gets_the_key_terms_too()
    {
        var rewriter = new QuestionRewriter(null);

        var rewritten = await rewriter.RewriteAsync("And Abuja?", History, CancellationToken.None);

        Assert.Equal("And Abuja? Lagos metro open", rewritten);
    }

    [Fact]
    public async Task Without_a_model_a_new_standalone_question_is_left_alone()
    {
        var rewriter = new QuestionRewriter(null);

        var rewritten = await rewriter.RewriteAsync("How did Kenya's tea exports do in 2023?", History, CancellationToken.None);

        Assert.Equal("How did Kenya's tea exports do in 2023?", rewritten);
    }

    [Fact]
    public async Task When_the_model_fails_carries_key_terms_over_instead()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.RequiredApiKey = "right-key";

        var rewritten = await WithModel(server, o => o.ApiKey = "wrong-key").RewriteAsync("How many riders did it carry?", History, CancellationToken.None);

        Assert.Equal("How many riders did it carry? Lagos metro open", rewritten);
    }

    [Fact]
    public async Task An_empty_rewrite_carries_key_terms_over_instead()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("<think>Hmm.</think>\n\n"));

        var rewritten = await WithModel(server).RewriteAsync("How many riders did it carry?", History, CancellationToken.None);

        Assert.Equal("How many riders did it carry? Lagos metro open", rewritten);
    }
}
