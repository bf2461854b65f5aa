using System.Text.Json;
using NewsBot.TestSupport;

namespace NewsBot.Cli.Tests;

public sealed class EndToEndTests
{
    [Fact]
    public async Task The_real_newsbot_answers_a_dev_question_citing_the_right_article()
    {
        using var dir = new TempDirectory();
        var index = dir.File("e2e.db");
        var ingest = await CliRunner.RunProcessAsync(dir.Path, "ingest", RepositoryPaths.Samples, "--index", index);
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        Assert.Contains("added 2", ingest.Out, StringComparison.Ordinal);

        var ask = await CliRunner.RunProcessAsync(dir.Path, "ask", "Through which country's networks is North Korea's internet wired?", "--json", "--index", index);
        Assert.True(ask.ExitCode == 0, ask.Error);
        using var json = JsonDocument.Parse(ask.Out);
        var root = json.RootElement;
        Assert.False(root.GetProperty("refused").GetBoolean());
        Assert.Contains("Chinese", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
        var citation = root.GetProperty("citations")[0];
        Assert.Equal("003_1f7b7d4ed5a94d40.txt", citation.GetProperty("article_id").GetString());
        Assert.Contains("Chinese networks", citation.GetProperty("quote").GetString(), StringComparison.Ordinal);
    }
}
