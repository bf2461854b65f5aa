using System.Text.Json;
using NewsBot.Core.Feedback;
using NewsBot.TestSupport;

namespace NewsBot.Cli.Tests;

public sealed class FeedbackCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task An_index_without_votes_says_how_readers_vote_and_json_is_one_object()
    {
        var index = _temp.File("samples.db");
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", RepositoryPaths.Samples, "--index", index)).ExitCode);

        var text = await CliRunner.RunAsync("feedback", "--index", index);
        var json = await CliRunner.RunAsync("feedback", "--json", "--index", index);

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains($"No votes yet in {index}", text.Out, StringComparison.Ordinal);
        Assert.Contains("👍/👎", text.Out, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(json.Out);
        Assert.Equal(["store", "votes", "unreadable"], parsed.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(index, parsed.RootElement.GetProperty("store").GetString());
        Assert.Equal(0, parsed.RootElement.GetProperty("votes").GetArrayLength());
    }

    [Fact]
    public async Task Votes_in_a_feedback_file_are_listed_with_question_answer_and_comment_and_a_damaged_line_is_noted()
    {
        var path = await VotesFileAsync();
        File.AppendAllText(path, "not json\n");

        var result = await CliRunner.RunAsync("feedback", $"--Feedback:Path={path}");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("2 votes (1 up, 1 down) in " + path, result.Out, StringComparison.Ordinal);
        Assert.Contains("Q: Who opened the bridge?", result.Out, StringComparison.Ordinal);
        Assert.Contains("comment: Wrong bridge.", result.Out, StringComparison.Ordinal);
        Assert.Contains("skipped 1 record", result.Error, StringComparison.Ordinal);
        var since = await CliRunner.RunAsync("feedback", "--since", "2026-12-02", "--json", $"--Feedback:Path={path}");
        using var json = JsonDocument.Parse(since.Out);
        Assert.Equal(["down"], json.RootElement.GetProperty("votes").EnumerateArray().Select(v => v.GetProperty("vote").GetString()));
    }

    [Fact]
    public async Task A_bad_since_date_is_a_usage_error_naming_the_format()
    {
        var result = await CliRunner.RunAsync("feedback", "--since", "yesterday", $"--Feedback:Path={_temp.File("f.jsonl")}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--since", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_eval_questions_and_never_replaces_a_file_without_force()
    {
        var path = await VotesFileAsync();
        var target = _temp.File("server.jsonl");

        var first = await CliRunner.RunAsync("feedback", "export", target, $"--Feedback:Path={path}");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"Wrote 2 questions from 2 votes to {target}: 1 to run, 1 marked \"review\": true", first.Out, StringComparison.Ordinal);
        Assert.Contains($"Run them: newsbot eval {target}", first.Out, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(target).Length);

        File.WriteAllText(target, "{\"question\": \"my reviewed question\"}\n");
        var again = await CliRunner.RunAsync("feedback", "export", target, $"--Feedback:Path={path}");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Contains("my reviewed question", File.ReadAllText(target), StringComparison.Ordinal);

        var forced = await CliRunner.RunAsync("feedback", "export", target, "--force", $"--Feedback:Path={path}");
        Assert.Equal(0, forced.ExitCode);
        Assert.DoesNotContain("my reviewed question", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.False(File.Exists(target + ".tmp"));

        var nowhere = await CliRunner.RunAsync("feedback", "export", _temp.File("missing/folder/q.jsonl"), $"--Feedback:Path={path}");
        Assert.Equal(2, nowhere.ExitCode);
        Assert.Contains("does not exist", nowhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_qdrant_votes_go_to_a_file_in_the_current_folder()
    {
        var result = await CliRunner.RunAsync("feedback", "--json", "--Index:Provider=qdrant");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "newsbot-feedback.jsonl"), json.RootElement.GetProperty("store").GetString());
    }

    public void Dispose() => _temp.Dispose();

    private async Task<string> VotesFileAsync()
    {
        var path = _temp.File("votes.jsonl");
        var store = new JsonlFeedbackStore(path);
        await store.RecordAsync(SampleVotes.Vote("k1", "u1", helpful: true, SampleVotes.Day(1)), default);
        await store.RecordAsync(SampleVotes.Vote("k2", "u1", helpful: false, SampleVotes.Day(2)) with
        {
            Comment = "Wrong bridge.",
            Question = "Which bridge opened?",
        }, default);
        return path;
    }
}
