using NewsBot.TestSupport;

namespace NewsBot.Cli.Tests;

public sealed class IngestCommandTests
{
    [Fact]
    public async Task Reingesting_unchanged_articles_writes_nothing()
    {
        using var dir = new TempDirectory();
        var index = dir.File("i.db");
        await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", index);
        var again = await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", index);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("added 0, updated 0, unchanged 2", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Skips_are_listed_with_their_reason_and_strict_fails_the_run()
    {
        using var dir = new TempDirectory();
        dir.Write("news/good.txt", "A title\n\nSome body text about the harbour.");
        dir.Write("news/bad.jsonl", "{\"id\":\"ok-1\",\"title\":\"T\",\"text\":\"Fine record.\"}\n{not json\n");
        dir.Write("news/notes.pdf", "%PDF-1.4");
        var index = dir.File("i.db");

        var lenient = await CliRunner.RunAsync("ingest", dir.File("news"), "--index", index);
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("added 2", lenient.Out, StringComparison.Ordinal);
        Assert.Contains("bad.jsonl:2", lenient.Out, StringComparison.Ordinal);
        Assert.Contains("notes.pdf", lenient.Out, StringComparison.Ordinal);

        var strict = await CliRunner.RunAsync("ingest", dir.File("news"), "--strict", "--index", index);
        Assert.Equal(1, strict.ExitCode);
    }

    [Fact]
    public async Task Prune_removes_articles_whose_files_are_gone()
    {
        using var dir = new TempDirectory();
        dir.Write("news/a.txt", "Alpha title\n\nThe alpha article body about harbours.");
        var b = dir.Write("news/b.txt", "Beta title\n\nThe beta article body about lighthouses.");
        var index = dir.File("i.db");
        await CliRunner.RunAsync("ingest", dir.File("news"), "--index", index);
        File.Delete(b);

        var kept = await CliRunner.RunAsync("ingest", dir.File("news"), "--index", index);
        Assert.Contains("pruned 0", kept.Out, StringComparison.Ordinal);
        var pruned = await CliRunner.RunAsync("ingest", dir.File("news"), "--prune", "--index", index);
        Assert.Contains("pruned 1", pruned.Out, StringComparison.Ordinal);
        var stats = await CliRunner.RunAsync("stats", "--index", index);
        Assert.Matches(@"articles\s+1", stats.Out);
    }

    [Fact]
    public async Task A_missing_path_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var result = await CliRunner.RunAsync("ingest", dir.File("nope"), "--index", dir.File("i.db"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }
}
