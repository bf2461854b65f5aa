using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Streams a JSON Lines file (<c>.jsonl</c>, or gzip-compressed <c>.jsonl.gz</c>) a line at a time: one article or one
/// skip per line, with the line number, so one bad line costs only itself.
/// </summary>
internal static class JsonLinesFile
{
    private static ReadOnlySpan<byte> Blank => " \t\r\f\v"u8;

    public static async IAsyncEnumerable<LoadResult> ReadAsync(
        SourceFile file,
        bool gzip,
        long maxLineBytes,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (stream, expectedSize, problem) = await OpenAsync(file.FullPath, gzip, cancellationToken);
        if (stream is null)
        {
            yield return LoadResult.Skipped(file.FullPath, null, problem!);
            yield break;
        }
        await using var _ = stream;
        using var reader = new Utf8LineReader(stream, maxLineBytes);
        if (await reader.SniffAsync(cancellationToken) is { } notText)
        {
            yield return LoadResult.Skipped(file.FullPath, null, notText);
            yield break;
        }
        var sawContent = false;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            switch (line.Kind)
            {
                case LineReadKind.End:
                    if (gzip && IsTruncated(reader, expectedSize))
                        yield return LoadResult.Skipped(file.FullPath, line.Number + 1, $"truncated gzip: whatever followed line {line.Number} is missing");
                    else if (!sawContent)
                        yield return LoadResult.Skipped(file.FullPath, null, TextDecoder.Empty);
                    yield break;
                case LineReadKind.Failed:
                    yield return LoadResult.Skipped(file.FullPath, line.Number, line.Error!);
                    yield break;
                case LineReadKind.TooLong:
                    sawContent = true;
                    yield return LoadResult.Skipped(file.FullPath, line.Number, "line " + SizeLimit.Describe(maxLineBytes));
                    continue;
            }
            if (!line.Terminated && gzip && IsTruncated(reader, expectedSize))
            {
                yield return LoadResult.Skipped(file.FullPath, line.Number, "truncated gzip: the data ends inside this line; the rest is missing");
                yield break;
            }
            if (line.Bytes.Span.IndexOfAnyExcept(Blank) < 0)
                continue;
            sawContent = true;
            // How far into the file (compressed bytes for .gz) the reader is: what the progress bar counts.
            var position = (stream is GZipStream gz ? gz.BaseStream : stream).Position;
            yield return JsonArticles.ParseLine(line.Bytes, line.Number, file) with { Position = position };
        }
    }

    /// <summary>
    /// .NET's GZipStream ends quietly at the end of a cut-off file, so a cut is found by the gzip trailer instead: its
    /// last four bytes hold the uncompressed size (mod 2^32), which the bytes of a cut file almost never match.
    /// </summary>
    private static bool IsTruncated(Utf8LineReader reader, uint? expectedSize) =>
        expectedSize is not { } size || (uint)reader.BytesRead != size;

    private static async Task<(Stream? Stream, uint? ExpectedSize, string? Problem)> OpenAsync(string path, bool gzip, CancellationToken cancellationToken)
    {
        FileStream? file = null;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (!gzip)
                return (file, null, null);
            if (file.Length == 0)
            {
                await file.DisposeAsync();
                return (null, null, TextDecoder.Empty);
            }
            var header = new byte[4];
            if (await file.ReadAtLeastAsync(header.AsMemory(0, 2), 2, throwOnEndOfStream: false, cancellationToken) < 2
                || header[0] != 0x1F || header[1] != 0x8B)
            {
                await file.DisposeAsync();
                return (null, null, "not a gzip file");
            }
            uint? expectedSize = null;
            // 10 bytes of header and 8 of trailer: anything shorter was cut before its trailer.
            if (file.Length >= 18)
            {
                file.Seek(-4, SeekOrigin.End);
                await file.ReadExactlyAsync(header, cancellationToken);
                expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(header);
            }
            file.Seek(0, SeekOrigin.Begin);
            return (new GZipStream(file, CompressionMode.Decompress), expectedSize, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (file is not null)
                await file.DisposeAsync();
            return (null, null, "unreadable: " + e.Message);
        }
    }
}
