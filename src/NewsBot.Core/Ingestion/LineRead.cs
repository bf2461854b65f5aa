namespace NewsBot.Core.Ingestion;

internal enum LineReadKind
{
    /// <summary>A line; <see cref="LineRead.Bytes"/> holds it without its line break.</summary>
    Line,

    /// <summary>A line longer than the limit, read past and dropped.</summary>
    TooLong,

    /// <summary>The stream ended; <see cref="LineRead.Number"/> is the number of the last line.</summary>
    End,

    /// <summary>The stream failed; <see cref="LineRead.Error"/> says how, <see cref="LineRead.Number"/> is the line it failed in.</summary>
    Failed,
}

/// <summary>
/// What <see cref="Utf8LineReader"/> read. <see cref="Bytes"/> points into the reader's buffer and is valid only until
/// the next read. <see cref="Terminated"/> is false for a last line with no line break after it.
/// </summary>
internal readonly record struct LineRead(LineReadKind Kind, ReadOnlyMemory<byte> Bytes, int Number, bool Terminated = true, string? Error = null);
