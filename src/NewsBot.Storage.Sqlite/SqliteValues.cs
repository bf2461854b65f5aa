using System.Globalization;
using System.Numerics.Tensors;

namespace NewsBot.Storage.Sqlite;

/// <summary>Conversions between what the file stores and what the index works with.</summary>
internal static class SqliteValues
{
    /// <summary>Copies <paramref name="vector"/> scaled to unit length, so that a dot product is the cosine similarity.</summary>
    public static void Normalize(ReadOnlySpan<float> vector, Span<float> destination, string what)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm))
            throw new ArgumentException($"The vector of {what} holds a value that is not a finite number.");
        if (norm == 0)
            destination.Clear();
        else
            TensorPrimitives.Divide(vector, norm, destination);
    }

    /// <summary>The authors column (a JSON array of names); empty when missing or unreadable.</summary>
    public static IReadOnlyList<string> ParseAuthors(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return [];
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(json, IndexJsonContext.Default.IReadOnlyListString) ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    public static DateTimeOffset ParsePublished(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    public static long FileSize(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    public static string FormatSize(long bytes) =>
        bytes >= 1 << 20
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB");
}
