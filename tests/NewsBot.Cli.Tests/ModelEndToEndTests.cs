using System.Text.Json;
using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenAI;

namespace NewsBot.Cli.Tests;

/// <summary>ask with a chat model: the answer comes from the answer prompt function through the kernel, checked.</summary>
public sealed class ModelEndToEndTests
{
    [Fact]
    public async Task Ask_with_a_chat_model_answers_through_the_kernel_and_keeps_only_real_citations()
    {
        using var dir = new TempDirectory();
        var index = dir.File("i.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", index)).ExitCode);
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ChatResponder = request => FakeReply.Chat("Doug Madory is director of Internet analysis at Dyn Research [1][9].");

        var result = await CliRunner.RunAsync("ask", "Who is Doug Madory?", "--json", "--index", index,
            $"--Model:Endpoint={server.Endpoint}", "--Model:ChatModel=test-chat");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("Doug Madory is director of Internet analysis at Dyn Research. [1]", json.RootElement.GetProperty("answer").GetString());
        var request = Assert.Single(server.ChatRequests);
        Assert.Equal("test-chat", request.Model);
        Assert.Contains("You are NewsBot", request.SystemText, StringComparison.Ordinal);
        Assert.Contains("Question: Who is Doug Madory?", request.UserText, StringComparison.Ordinal);
        Assert.Equal(400, request.MaxTokens);
    }

    [Fact]
    public async Task A_model_that_is_down_gives_the_extractive_answer_with_a_notice()
    {
        using var dir = new TempDirectory();
        var index = dir.File("i.db");
        await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", index);
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ChatResponder = _ => FakeReply.Error(401, "bad key");

        var result = await CliRunner.RunAsync("ask", "Who is Doug Madory?", "--json", "--index", index,
            $"--Model:Endpoint={server.Endpoint}", "--Model:ChatModel=test-chat");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Contains("Madory", json.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Contains("check Model:ApiKey", json.RootElement.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
