using System.Buffers;
using System.IO.Compression;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Reads a stream a line at a time as raw UTF-8 bytes, so that JSON Lines are parsed straight from the buffer without
/// a detour through UTF-16 strings. Memory stays bounded by the longest line allowed: a longer line is read past and
/// reported as <see cref="LineReadKind.TooLong"/>. Read errors come back as <see cref="LineReadKind.Failed"/> rather
/// than as exceptions, so that a caller can report them with the line number and keep what it already has.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private const int SniffLength = 8192;

    private readonly Stream stream;
    private readonly int maxLineBytes;
    private byte[] buffer;
    private int start;
    private int end;
    private int scanned;
    private int lineNumber;
    private bool endOfStream;
    private bool discarding;

    public Utf8LineReader(Stream stream, long maxLineBytes)
    {
        this.stream = stream;
        this.maxLineBytes = (int)Math.Clamp(maxLineBytes, 1, Array.MaxLength - 2);
        buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, this.maxLineBytes + 2));
    }

    /// <summary>Bytes read from the stream so far (after decompression, when the stream decompresses).</summary>
    public long BytesRead { get; private set; }

    /// <summary>
    /// Reads the first 8 KB and says why the stream is not UTF-8 text (or an I/O error), or null when it may be.
    /// Skips a UTF-8 byte order mark.
    /// </summary>
    public async ValueTask<string?> SniffAsync(CancellationToken cancellationToken)
    {
        while (!endOfStream && end < SniffLength)
        {
            if (end == buffer.Length)
                break;
            if (await FillAsync(cancellationToken) is { } error)
                return error;
        }
        var head = buffer.AsSpan(0, end);
        if (TextDecoder.GetUnicodeBom(head) is not null)
            return "not UTF-8 (JSON Lines must be UTF-8)";
        if (TextDecoder.HasNulNearStart(head))
            return TextDecoder.BinaryFile;
        if (head.StartsWith(TextDecoder.Utf8Bom))
            start = scanned = TextDecoder.Utf8Bom.Length;
        return null;
    }

    public async ValueTask<LineRead> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineStart = start;
                var lineEnd = scanned + newline;
                start = scanned = lineEnd + 1;
                return TakeLine(lineStart, lineEnd, terminated: true);
            }
            scanned = end;
            if (endOfStream)
            {
                if (start == end && !discarding)
                    return new LineRead(LineReadKind.End, default, lineNumber);
                var lineStart = start;
                start = scanned = end;
                return TakeLine(lineStart, end, terminated: false);
            }
            if (end - start > maxLineBytes)
            {
                // Too long to keep: drop what we have of it and read on to its end.
                discarding = true;
                start = scanned = end = 0;
            }
            if (await FillAsync(cancellationToken) is { } failure)
                return new LineRead(LineReadKind.Failed, default, lineNumber + 1, Error: failure);
        }
    }

    private LineRead TakeLine(int lineStart, int lineEnd, bool terminated)
    {
        lineNumber++;
        if (lineEnd > lineStart && buffer[lineEnd - 1] == (byte)'\r')
            lineEnd--;
        if (discarding || lineEnd - lineStart > maxLineBytes)
        {
            discarding = false;
            return new LineRead(LineReadKind.TooLong, default, lineNumber, terminated);
        }
        return new LineRead(LineReadKind.Line, buffer.AsMemory(lineStart, lineEnd - lineStart), lineNumber, terminated);
    }

    /// <summary>Reads more into the buffer, making room first; returns the reason when the stream fails.</summary>
    private async ValueTask<string?> FillAsync(CancellationToken cancellationToken)
    {
        if (start > 0 && start == end)
        {
            start = scanned = end = 0;
        }
        else if (start > 0 && (end == buffer.Length || start >= buffer.Length / 2))
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            scanned -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxLineBytes + 2L));
            buffer.AsSpan(0, end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
        int read;
        try
        {
            read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return (stream is GZipStream ? "corrupt gzip data: " : "unreadable: ") + e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable: " + e.Message;
        }
        if (read == 0)
            endOfStream = true;
        end += read;
        BytesRead += read;
        return null;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }
}
