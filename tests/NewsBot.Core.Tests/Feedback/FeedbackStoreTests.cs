using System.Text.Json;
using NewsBot.Core.Evaluation;
using NewsBot.Core.Feedback;
using NewsBot.TestSupport;
using static NewsBot.TestSupport.SampleVotes;

namespace NewsBot.Core.Tests.Feedback;

public sealed class FeedbackStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task The_latest_vote_per_reader_and_answer_wins_and_earlier_lines_are_kept_in_the_file()
    {
        var store = new JsonlFeedbackStore(_temp.File("votes/feedback.jsonl"));

        await store.RecordAsync(Vote("a1", "u1", true, Day(1)), default);
        await store.RecordAsync(Vote("a1", "u2", false, Day(2)), default);
        await store.RecordAsync(Vote("a1", "u1", false, Day(3)), default);

        var votes = (await store.ListAsync(null, default)).Votes;
        Assert.Equal([("u2", "down"), ("u1", "down")], votes.Select(v => (v.UserId, v.Vote)));
        Assert.Equal(3, File.ReadAllLines(store.Location).Length);
        Assert.Equal(["u1"], (await store.ListAsync(Day(3), default)).Votes.Select(v => v.UserId));
    }

    [Fact]
    public async Task A_damaged_line_is_skipped_and_counted_and_the_next_vote_stays_readable()
    {
        var path = _temp.File("feedback.jsonl");
        var store = new JsonlFeedbackStore(path);
        await store.RecordAsync(Vote("a1", "u1", true, Day(1)), default);
        File.AppendAllText(path, "{\"answer_id\": \"a2\", \"user_"); // a crash mid-write

        await store.RecordAsync(Vote("a3", "u1", true, Day(2)), default);

        var listed = await store.ListAsync(null, default);
        Assert.Equal(1, listed.Unreadable);
        Assert.Equal(["a1", "a3"], listed.Votes.Select(v => v.AnswerId));
    }

    [Fact]
    public async Task A_missing_file_has_no_votes_and_an_unwritable_one_names_the_setting_to_change()
    {
        var store = new JsonlFeedbackStore(_temp.File("none.jsonl"));
        Assert.Empty((await store.ListAsync(null, default)).Votes);

        Directory.CreateDirectory(_temp.File("folder.jsonl"));
        var error = await Assert.ThrowsAsync<FeedbackStoreException>(() => new JsonlFeedbackStore(_temp.File("folder.jsonl")).RecordAsync(Vote("a", "u", true, Day(1)), default));
        Assert.Contains("Feedback:Path", error.Message, StringComparison.Ordinal);
        var listing = await Assert.ThrowsAsync<FeedbackStoreException>(() => new JsonlFeedbackStore(_temp.File("folder.jsonl")).ListAsync(null, default));
        Assert.Contains("is a folder", listing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_is_an_eval_file_newsbot_eval_reads_with_thumbs_down_marked_for_review()
    {
        var votes = new[]
        {
            Vote("good", "u1", true, Day(1)),
            Vote("good", "u2", true, Day(1).AddMinutes(1)),
            Vote("bad", "u1", false, Day(2)) with { Comment = "It cited the wrong article." },
            Vote("bad", "u2", true, Day(2).AddMinutes(1)),
            Vote("refusal", "u1", true, Day(3)) with { Refused = true, Citations = [], Answer = "The articles don't say." },
        };

        var exported = FeedbackExport.ToEvalLines(votes);
        var lines = exported.Select(l => l.Json).ToList();
        var path = _temp.Write("exported.jsonl", string.Concat(lines.Select(l => l + "\n")));
        var questions = await EvalQuestionFile.ReadAsync(path, default);

        Assert.Equal(["feedback-good", "feedback-bad", "feedback-refusal"], questions.Select(q => q.Id));
        var good = questions[0];
        Assert.Equal(["bridge"], good.Sources);
        Assert.Equal(["The mayor opened the new harbour bridge."], good.Evidence);
        Assert.True(good.Answerable);
        Assert.False(good.Review);
        Assert.Equal("2026-12-01", good.AsOf);
        Assert.True(questions[1].Review);
        Assert.Equal([false, true, false], exported.Select(l => l.Review));
        Assert.False(questions[2].Answerable);
        Assert.False(questions[2].Review);
        using var bad = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, bad.RootElement.GetProperty("votes").GetProperty("down").GetInt32());
        Assert.Equal(1, bad.RootElement.GetProperty("votes").GetProperty("up").GetInt32());
        Assert.Equal("It cited the wrong article.", bad.RootElement.GetProperty("comments")[0].GetString());
        Assert.Equal("The mayor [1].", bad.RootElement.GetProperty("bot_answer").GetString());
    }

    public void Dispose() => _temp.Dispose();
}
