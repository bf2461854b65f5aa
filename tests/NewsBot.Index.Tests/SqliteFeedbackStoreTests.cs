using Microsoft.Data.Sqlite;
using NewsBot.Core.Feedback;
using NewsBot.Storage.Sqlite;
using NewsBot.TestSupport;
using static NewsBot.TestSupport.SampleVotes;

namespace NewsBot.Index.Tests;

public sealed class SqliteFeedbackStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Votes_are_kept_in_the_index_file_one_per_reader_and_answer_and_the_index_still_answers()
    {
        var path = await NewIndexAsync();
        var store = new SqliteFeedbackStore(path);

        await store.RecordAsync(Vote("a1", "u1", helpful: true, Day(1)), default);
        await store.RecordAsync(Vote("a1", "u2", helpful: true, Day(2)), default);
        await store.RecordAsync(Vote("a1", "u1", helpful: false, Day(3)) with { Comment = "wrong article" }, default);

        var listed = await new SqliteFeedbackStore(path).ListAsync(null, default);
        Assert.Equal(0, listed.Unreadable);
        Assert.Equal(["u2", "u1"], listed.Votes.Select(v => v.UserId));
        Assert.Equal(FeedbackVote.Down, listed.Votes[1].Vote);
        Assert.Equal("wrong article", listed.Votes[1].Comment);
        Assert.Equal(["u1"], (await store.ListAsync(Day(3), default)).Votes.Select(v => v.UserId));

        await using var index = new SqlitePassageIndex(new SqliteIndexOptions { Path = path });
        await index.InitializeAsync(WordHashEmbedder.Descriptor, default);
        Assert.NotEmpty(await index.SearchFusedAsync(TestArticles.Query("harbour"), default));
    }

    [Fact]
    public async Task An_index_without_votes_lists_none_and_a_missing_index_says_to_ingest_first()
    {
        var path = await NewIndexAsync();
        Assert.Empty((await new SqliteFeedbackStore(path).ListAsync(null, default)).Votes);

        var missing = new SqliteFeedbackStore(_temp.File("none.db"));
        Assert.Empty((await missing.ListAsync(null, default)).Votes);
        var error = await Assert.ThrowsAsync<FeedbackStoreException>(() => missing.RecordAsync(Vote("a", "u", true, Day(1)), default));
        Assert.Contains("Ingest first", error.Message, StringComparison.Ordinal);
        Assert.Contains("Feedback:Path", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.File("none.db")));
    }

    [Fact]
    public async Task A_sqlite_file_that_is_not_a_newsbot_index_is_never_written()
    {
        var path = _temp.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes(text TEXT)";
            command.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(path);

        var error = await Assert.ThrowsAsync<FeedbackStoreException>(() => new SqliteFeedbackStore(path).RecordAsync(Vote("a", "u", true, Day(1)), default));

        Assert.Contains("not a NewsBot index", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    public void Dispose() => _temp.Dispose();

    private async Task<string> NewIndexAsync()
    {
        var path = _temp.File($"{Guid.NewGuid():N}.db");
        await using var index = new SqlitePassageIndex(new SqliteIndexOptions { Path = path });
        await index.InitializeAsync(WordHashEmbedder.Descriptor, default);
        await index.UpsertAsync(TestArticles.Make("bridge", "The mayor opened the new harbour bridge.\n\nThousands walked across the harbour bridge."), default);
        return path;
    }
}
