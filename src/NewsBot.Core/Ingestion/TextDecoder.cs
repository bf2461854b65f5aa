using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Decodes a text file's bytes: by its byte order mark when it has one, else as UTF-8. A file that is not valid UTF-8
/// but reads as text is decoded as Windows-1252 (the usual encoding of older news files) when it holds no valid UTF-8
/// multi-byte sequence at all, else as UTF-8 with the bad bytes replaced. NUL bytes near the start, or more than one
/// byte in ten being invalid UTF-8 or a control character, mean a binary file: no real text looks like that.
/// </summary>
internal static class TextDecoder
{
    public const string BinaryFile = "binary file";
    public const string Empty = "empty";

    private const int SniffLength = 8192;

    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? Encoding.Latin1;

    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? problem)
    {
        text = null;
        if (GetUnicodeBom(bytes) is { } bom)
        {
            text = bom.Encoding.GetString(bytes[bom.Length..]);
        }
        else if (HasNulNearStart(bytes))
        {
            problem = BinaryFile;
            return false;
        }
        else
        {
            var body = bytes.StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes;
            if (Utf8.IsValid(body))
            {
                text = Encoding.UTF8.GetString(body);
            }
            else
            {
                var (suspicious, multiByte) = CountInvalid(body);
                if (suspicious * 10 > body.Length)
                {
                    problem = BinaryFile;
                    return false;
                }
                text = multiByte > 0 ? Encoding.UTF8.GetString(body) : Windows1252.GetString(body);
            }
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = Empty;
            return false;
        }
        problem = null;
        return true;
    }

    /// <summary>Why bytes that a parser will decode itself (XML) cannot be text, or null when they may be.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (GetUnicodeBom(bytes) is not null)
            return null;
        if (HasNulNearStart(bytes))
            return BinaryFile;
        var body = bytes.StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes;
        return body.IndexOfAnyExcept(AsciiWhitespace) < 0 ? Empty : null;
    }

    public static bool HasNulNearStart(ReadOnlySpan<byte> bytes) => bytes[..Math.Min(bytes.Length, SniffLength)].Contains((byte)0);

    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>A UTF-16 or UTF-32 byte order mark and the decoder it calls for.</summary>
    public static (Encoding Encoding, int Length)? GetUnicodeBom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
            return (new UTF32Encoding(bigEndian: false, byteOrderMark: false), 4);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            return (new UTF32Encoding(bigEndian: true, byteOrderMark: false), 4);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false), 2);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false), 2);
        return null;
    }

    private static readonly SearchValues<byte> AsciiWhitespace = SearchValues.Create(" \t\r\n\f\v"u8);

    private static (int Suspicious, int MultiByte) CountInvalid(ReadOnlySpan<byte> bytes)
    {
        var suspicious = 0;
        var multiByte = 0;
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status != OperationStatus.Done)
                suspicious += consumed;
            else if (consumed > 1)
                multiByte++;
            else if (rune.Value < 0x20 && rune.Value is not ('\t' or '\n' or '\r' or '\f' or '\v' or 0x1B))
                suspicious++;
            bytes = bytes[consumed..];
        }
        return (suspicious, multiByte);
    }
}
