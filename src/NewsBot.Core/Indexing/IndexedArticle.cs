using System.Security.Cryptography;
using System.Text;
using NewsBot.Core.Articles;
using NewsBot.Core.Passages;

namespace NewsBot.Core.Indexing;

/// <summary>
/// An article ready to be written: its passages, one vector per passage and the lexical terms of each passage
/// (<see cref="Terms"/>), all in the same order.
/// </summary>
public sealed record IndexedArticle(Article Article, string ContentHash, IReadOnlyList<Passage> Passages, IReadOnlyList<ReadOnlyMemory<float>> Vectors)
{
    /// <summary>The passages' lexical terms, tokenised here in Core so that every index stores the same ones.</summary>
    public IReadOnlyList<PassageTerms> Terms { get; init; } = (Passages ?? []).Select(PassageTerms.Of).ToList();

    /// <summary>
    /// A hash of the article's fields and of the settings that shape its passages, so that re-ingesting an unchanged
    /// article writes nothing, and changing the chunker settings re-chunks it.
    /// </summary>
    public static string ComputeHash(Article article, string settingsFingerprint)
    {
        ArgumentNullException.ThrowIfNull(article);
        var builder = new StringBuilder();
        builder.Append(settingsFingerprint).Append('\u001f')
            .Append(article.Title).Append('\u001f')
            .Append(article.Source).Append('\u001f')
            .Append(article.Url).Append('\u001f')
            .Append(article.Published?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture)).Append('\u001f')
            .AppendJoin(',', article.Authors).Append('\u001f')
            .Append(article.Text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }
}
