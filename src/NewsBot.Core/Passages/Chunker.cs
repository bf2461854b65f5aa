using NewsBot.Core.Articles;
using NewsBot.Core.Text;

namespace NewsBot.Core.Passages;

/// <summary>
/// Splits an article into passages of whole sentences: a passage closes at a paragraph end once it has
/// <see cref="ChunkingOptions.MinWords"/> words, or at the first sentence end past <see cref="ChunkingOptions.TargetWords"/>,
/// and never grows past <see cref="ChunkingOptions.MaxWords"/>; the next passage repeats the last sentence(s). A single
/// sentence longer than the maximum is cut at word boundaries, the only place a sentence is ever cut.
/// </summary>
public sealed class Chunker
{
    private readonly ChunkingOptions _options;

    public Chunker(ChunkingOptions options)
    {
        _options = options;
    }

    public IReadOnlyList<Passage> Split(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var text = article.Text;
        var units = Units(text);
        var spans = new List<(int Start, int End)>();
        var i = 0;
        while (i < units.Count)
        {
            var words = 0;
            var j = i;
            while (j < units.Count)
            {
                var w = units[j].Words;
                if (j > i && words + w > _options.MaxWords)
                    break;
                words += w;
                j++;
                if (words >= _options.TargetWords || (words >= _options.MinWords && units[j - 1].EndsParagraph))
                    break;
            }
            // A short tail joins the passage before it when there is room, rather than standing alone.
            if (j < units.Count && RemainingWords(units, j) < _options.MinWords / 3 && words + RemainingWords(units, j) <= _options.MaxWords)
                j = units.Count;
            spans.Add((units[i].Start, units[j - 1].End));
            if (j >= units.Count)
                break;
            var overlap = Math.Min(_options.OverlapSentences, j - i - 1);
            i = j - Math.Max(0, overlap);
        }

        var passages = new List<Passage>(spans.Count);
        for (var n = 0; n < spans.Count; n++)
        {
            var (start, end) = spans[n];
            passages.Add(new Passage
            {
                Id = Passage.MakeId(article.Id, n),
                ArticleId = article.Id,
                Ordinal = n,
                Start = start,
                End = end,
                Text = text[start..end],
                Title = article.Title,
                Source = article.Source,
                Url = article.Url,
                Published = article.Published,
                Authors = article.Authors,
            });
        }
        return passages;
    }

    private static int RemainingWords(List<Unit> units, int from)
    {
        var sum = 0;
        for (var k = from; k < units.Count; k++)
            sum += units[k].Words;
        return sum;
    }

    /// <summary>Sentences, with any sentence longer than the maximum cut into word windows.</summary>
    private List<Unit> Units(string text)
    {
        var units = new List<Unit>();
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var words = SentenceSplitter.CountWords(text, sentence.Start, sentence.End);
            if (words <= _options.MaxWords)
            {
                units.Add(new Unit(sentence.Start, sentence.End, words, sentence.EndsParagraph));
                continue;
            }
            var pieceStart = sentence.Start;
            var count = 0;
            var inWord = false;
            for (var p = sentence.Start; p < sentence.End; p++)
            {
                var space = char.IsWhiteSpace(text[p]);
                if (!space && !inWord)
                {
                    if (count == _options.MaxWords)
                    {
                        var pieceEnd = p;
                        while (pieceEnd > pieceStart && char.IsWhiteSpace(text[pieceEnd - 1]))
                            pieceEnd--;
                        units.Add(new Unit(pieceStart, pieceEnd, count, false));
                        pieceStart = p;
                        count = 0;
                    }
                    count++;
                }
                inWord = !space;
            }
            units.Add(new Unit(pieceStart, sentence.End, count, sentence.EndsParagraph));
        }
        return units;
    }

    private readonly record struct Unit(int Start, int End, int Words, bool EndsParagraph);
}
