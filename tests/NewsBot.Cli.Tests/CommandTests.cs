using System.Text.Json;
using NewsBot.TestSupport;

namespace NewsBot.Cli.Tests;

public sealed class CommandTests : IClassFixture<CommandTests.SampleIndex>
{
    private readonly SampleIndex _index;

    public CommandTests(SampleIndex index)
    {
        _index = index;
    }

    /// <summary>The samples ingested once into a temporary index, shared by the tests of this class.</summary>
    public sealed class SampleIndex : IAsyncLifetime
    {
        private readonly TempDirectory _dir = new();

        public string Path => _dir.File("samples.db");

        public async Task InitializeAsync()
        {
            var result = await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", Path);
            Assert.True(result.ExitCode == 0, result.Error);
        }

        public Task DisposeAsync()
        {
            _dir.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Ask_json_prints_exactly_one_object_with_the_documented_keys()
    {
        var result = await CliRunner.RunAsync("ask", "How many lawsuits is Sony facing from employees?", "--json", "--index", _index.Path);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["question", "answer", "refused", "citations"], keys);
        var citation = json.RootElement.GetProperty("citations")[0];
        Assert.Equal(["n", "article_id", "title", "source", "date", "url", "quote", "authors"], citation.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Ask_refuses_a_question_the_articles_do_not_answer()
    {
        var result = await CliRunner.RunAsync("ask", "Who won the 2014 FIFA World Cup?", "--json", "--index", _index.Path);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("refused").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("citations").GetArrayLength());
    }

    [Fact]
    public async Task Ask_prints_the_answer_and_numbered_sources()
    {
        var result = await CliRunner.RunAsync("ask", "Who is Doug Madory?", "--index", _index.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Dyn Research", result.Out, StringComparison.Ordinal);
        Assert.Contains("Sources:", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"\[\d+\] .+", result.Out);
    }

    [Fact]
    public async Task Search_json_lists_ranked_passages_with_the_documented_keys()
    {
        var result = await CliRunner.RunAsync("search", "Guardians of Peace email", "--k", "3", "--json", "--index", _index.Path);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var results = json.RootElement.GetProperty("results");
        Assert.InRange(results.GetArrayLength(), 1, 3);
        Assert.Equal(["rank", "score", "similarity", "matched", "article_id", "title", "source", "date", "url", "snippet", "highlights", "text"], results[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("003_1f7b7d4ed5a94d40.txt", results[0].GetProperty("article_id").GetString());
    }

    [Fact]
    public async Task Stats_prints_the_index_path_and_counts()
    {
        var result = await CliRunner.RunAsync("stats", "--index", _index.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(_index.Path, result.Out, StringComparison.Ordinal);
        Assert.Matches(@"articles\s+2", result.Out);
        Assert.Contains("local-hashing-v2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_json_reports_exactly_the_documented_keys_and_meets_the_dev_bars()
    {
        var result = await CliRunner.RunAsync("eval", RepositoryPaths.SharedFile("eval", "dev.jsonl"), "--json", "--index", _index.Path);
        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal(
            ["questions", "recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "answer_accuracy", "citation_precision", "refusal_accuracy", "false_refusal_rate", "p50_ms", "p95_ms"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(16, root.GetProperty("questions").GetInt32());
        Assert.Equal(1.0, root.GetProperty("recall_at_5").GetDouble());
        Assert.True(root.GetProperty("answer_accuracy").GetDouble() >= 0.85, result.Out);
        Assert.Equal(1.0, root.GetProperty("refusal_accuracy").GetDouble());
        Assert.True(root.GetProperty("false_refusal_rate").GetDouble() <= 0.1, result.Out);
    }

    [Fact]
    public async Task Chat_answers_each_line_until_exit()
    {
        var result = await CliRunner.RunWithInputAsync("Who is Doug Madory?\nWhat did he say he would not be surprised by?\nexit\n", "chat", "--index", _index.Path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Dyn Research", result.Out, StringComparison.Ordinal);
        Assert.Contains("absorbing some sort of attack", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_date_is_a_usage_error_with_a_one_line_message()
    {
        var result = await CliRunner.RunAsync("ask", "Who is Doug Madory?", "--as-of", "yesterday-ish", "--index", _index.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--as-of", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_names_its_key_and_exits_2()
    {
        var result = await CliRunner.RunAsync("ask", "q", "--Retrieval:TopK=0", "--index", _index.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Retrieval:TopK", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Retrieval:TopK=0", "Retrieval:TopK")]
    [InlineData("--Retrieval:TopK=many", "Retrieval:TopK")]
    [InlineData("--Chunking:MaxWords=-3", "Chunking:MaxWords")]
    public async Task Every_verb_validates_its_settings_at_start_and_names_each_bad_key_once(string setting, string key)
    {
        foreach (var verb in new[] { "ask", "search", "stats" })
        {
            string[] args = verb == "stats" ? [verb, setting, "--index", _index.Path] : [verb, "q", setting, "--index", _index.Path];
            var result = await CliRunner.RunAsync(args);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error:", line, StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, System.Text.RegularExpressions.Regex.Escape(key)));
        }
    }

    [Fact]
    public async Task Bad_qdrant_settings_stop_the_verb_before_anything_connects()
    {
        var result = await CliRunner.RunAsync("stats", "--Index:Provider=qdrant", "--Qdrant:Url=qdrant:6334", "--Qdrant:OnDisk=true");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Qdrant:Url must be the gRPC address", result.Error, StringComparison.Ordinal);
        Assert.Contains("Qdrant:Memory=Cold", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbs_other_than_serve_need_no_discord_token()
    {
        var result = await CliRunner.RunAsync("stats", "--index", _index.Path, "--Discord:UserCooldownSeconds=-5");
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("ask", "q", "--frobnicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_an_empty_index_says_to_ingest_first()
    {
        using var dir = new TempDirectory();
        var result = await CliRunner.RunAsync("ask", "Who is Doug Madory?", "--index", dir.File("empty.db"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("newsbot ingest", result.Error, StringComparison.Ordinal);
    }
}
