namespace NewsBot.Core.Feedback;

/// <summary>Where votes on answers are kept: the embedded index file, or a JSON Lines file when the index is elsewhere.</summary>
public interface IFeedbackStore
{
    /// <summary>Where the votes are, for messages ("feedback is in …").</summary>
    string Location { get; }

    /// <summary>Keeps a vote; a vote by the same user on the same answer replaces the earlier one.</summary>
    /// <exception cref="FeedbackStoreException">The store can't be written; the message says what to fix.</exception>
    Task RecordAsync(FeedbackVote vote, CancellationToken cancellationToken);

    /// <summary>The current votes (the latest per user and answer), oldest first, voted at or after <paramref name="since"/>.</summary>
    /// <exception cref="FeedbackStoreException">The store can't be read; the message says what to fix.</exception>
    Task<FeedbackVotes> ListAsync(DateTimeOffset? since, CancellationToken cancellationToken);
}

/// <param name="Unreadable">Records that could not be read (a damaged line, say) and were skipped.</param>
public sealed record FeedbackVotes(IReadOnlyList<FeedbackVote> Votes, int Unreadable);

/// <summary>The feedback store can't be read or written; the message names it and says what to do.</summary>
public sealed class FeedbackStoreException(string message, Exception? inner = null) : Exception(message, inner);
