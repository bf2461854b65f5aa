namespace NewsBot.Core.Feedback;

/// <summary>
/// Votes in a JSON Lines file (used when the index is not the embedded file). Every vote is appended, so nothing
/// written is ever rewritten or lost; when reading, the latest line per user and answer wins. A line that can't be
/// read (a crash mid-write, a hand edit) is skipped and counted.
/// </summary>
public sealed class JsonlFeedbackStore(string path) : IFeedbackStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Location { get; } = System.IO.Path.GetFullPath(path);

    public async Task RecordAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var line = FeedbackJson.Serialize(vote) + "\n";
        RefuseFolder();
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Location)!);
            await using var file = new FileStream(Location, FileMode.Append, FileAccess.Write, FileShare.Read);
            // A file that ends mid-line (an earlier crash) gets a line break first, so this vote stays readable.
            if (file.Length > 0 && !EndsWithNewline())
                line = "\n" + line;
            await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), cancellationToken);
            await file.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FeedbackStoreException($"The feedback file {Location} could not be written ({e.Message}). Make it writable, or set Feedback:Path to another file.", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<FeedbackVotes> ListAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        RefuseFolder();
        if (!File.Exists(Location))
            return new FeedbackVotes([], 0);
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(Location, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FeedbackStoreException($"The feedback file {Location} could not be read ({e.Message}). Check its permissions, or set Feedback:Path to another file.", e);
        }
        var latest = new Dictionary<(string, string), FeedbackVote>();
        var unreadable = 0;
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (FeedbackJson.TryDeserialize(line) is not { } vote)
            {
                unreadable++;
                continue;
            }
            latest[(vote.AnswerId, vote.UserId)] = vote;
        }
        return new FeedbackVotes(Recent(latest.Values, since), unreadable);
    }

    /// <summary>Oldest first, from <paramref name="since"/> on.</summary>
    internal static List<FeedbackVote> Recent(IEnumerable<FeedbackVote> votes, DateTimeOffset? since) =>
        votes.Where(v => since is null || v.VotedAt >= since).OrderBy(v => v.VotedAt).ToList();

    private void RefuseFolder()
    {
        if (Directory.Exists(Location))
            throw new FeedbackStoreException($"The feedback file {Location} is a folder. Set Feedback:Path to a file, such as {System.IO.Path.Combine(Location, "newsbot-feedback.jsonl")}.");
    }

    private bool EndsWithNewline()
    {
        using var read = new FileStream(Location, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }
}
