using System.Text.Json;
using NewsBot.TestSupport;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Cli.Tests;

public sealed class QdrantEndToEndTests
{
    private static readonly string[] Figures =
        ["questions", "recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "answer_accuracy", "citation_precision", "refusal_accuracy", "false_refusal_rate"];

    [Fact]
    public async Task Eval_through_Qdrant_gives_the_same_figures_as_the_embedded_index()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        using var dir = new TempDirectory();
        var dev = RepositoryPaths.SharedFile("eval", "dev.jsonl");
        string[] viaQdrant = ["--Index:Provider=qdrant", $"--Qdrant:Url={qdrant.Url}", "--Qdrant:Collection=e2e"];

        var ingest = await CliRunner.RunAsync(["ingest", RepositoryPaths.Samples, .. viaQdrant]);
        Assert.True(ingest.ExitCode == 0, ingest.Error);
        Assert.Contains("added 2", ingest.Out, StringComparison.Ordinal);
        var again = await CliRunner.RunAsync(["ingest", RepositoryPaths.Samples, .. viaQdrant]);
        Assert.Contains("unchanged 2", again.Out, StringComparison.Ordinal);

        var throughQdrant = await CliRunner.RunAsync(["eval", dev, "--json", .. viaQdrant]);
        Assert.True(throughQdrant.ExitCode == 0, throughQdrant.Error);
        await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", dir.File("i.db"));
        var embedded = await CliRunner.RunAsync("eval", dev, "--json", "--index", dir.File("i.db"));

        using var q = JsonDocument.Parse(throughQdrant.Out);
        using var e = JsonDocument.Parse(embedded.Out);
        foreach (var key in Figures)
            Assert.True(e.RootElement.GetProperty(key).GetDouble() == q.RootElement.GetProperty(key).GetDouble(), $"{key}: embedded {e.RootElement.GetProperty(key)} vs Qdrant {q.RootElement.GetProperty(key)}");
    }

    [Fact]
    public async Task An_ingest_rides_out_unavailable_answers_and_one_that_stays_down_loses_nothing_on_the_next_run()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        string[] viaQdrant = ["--Index:Provider=qdrant", $"--Qdrant:Url={qdrant.Url}", "--Qdrant:Collection=faults", "--Qdrant:MaxRetries=2"];

        qdrant.Fail("Upsert", Grpc.Core.StatusCode.Unavailable, times: 2);
        var ridden = await CliRunner.RunAsync(["ingest", RepositoryPaths.Samples, .. viaQdrant]);
        Assert.True(ridden.ExitCode == 0, ridden.Error);
        Assert.Contains("added 2", ridden.Out, StringComparison.Ordinal);

        await qdrant.DisposeAsync();
        await using var second = await FakeQdrantServer.StartAsync();
        string[] viaSecond = ["--Index:Provider=qdrant", $"--Qdrant:Url={second.Url}", "--Qdrant:Collection=faults", "--Qdrant:MaxRetries=1"];
        second.Fail("Upsert", Grpc.Core.StatusCode.Unavailable, times: 1000);
        var down = await CliRunner.RunAsync(["ingest", RepositoryPaths.Samples, .. viaSecond]);
        Assert.NotEqual(0, down.ExitCode);
        Assert.Contains("is not reachable", down.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", down.Error, StringComparison.Ordinal);

        second.ClearFaults();
        var next = await CliRunner.RunAsync(["ingest", RepositoryPaths.Samples, .. viaSecond]);
        Assert.True(next.ExitCode == 0, next.Error);
        var points = second.Collection("faults")!.Points;
        Assert.Equal(points.Count, points.Select(p => p.Payload["passage_id"].StringValue).Distinct().Count());
        Assert.Equal(2, points.Select(p => p.Payload["article_id"].StringValue).Distinct().Count());
        var ask = await CliRunner.RunAsync(["ask", "Who is Doug Madory?", .. viaSecond]);
        Assert.True(ask.ExitCode == 0, ask.Error);
        Assert.Contains("Madory", ask.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_through_Qdrant_shows_the_collection()
    {
        await using var qdrant = await FakeQdrantServer.StartAsync();
        string[] viaQdrant = ["--Index:Provider=qdrant", $"--Qdrant:Url={qdrant.Url}", "--Qdrant:Collection=stats"];
        await CliRunner.RunAsync(["ingest", RepositoryPaths.Samples, .. viaQdrant]);
        var stats = await CliRunner.RunAsync(["stats", .. viaQdrant]);
        Assert.True(stats.ExitCode == 0, stats.Error);
        Assert.Contains("collection stats", stats.Out, StringComparison.Ordinal);
        Assert.Matches(@"passages\s+\d+", stats.Out);
    }

    [Fact]
    public async Task An_unreachable_Qdrant_is_one_line_naming_the_url()
    {
        var result = await CliRunner.RunAsync("stats", "--Index:Provider=qdrant", "--Qdrant:Url=http://127.0.0.1:9", "--Qdrant:MaxRetries=0");
        Assert.Equal(1, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var error = Assert.Single(lines);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:9", error, StringComparison.Ordinal);
    }
}
