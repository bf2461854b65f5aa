using NewsBot.Core.Articles;
using NewsBot.Core.Passages;
using NewsBot.Core.Text;
using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Passages;

public sealed class ChunkerTests
{
    private static readonly ChunkingOptions Defaults = new();

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Samples, "*.txt"))
            data.Add(Path.GetFileName(file));
        return data;
    }

    private static Article Sample(string name)
    {
        var lines = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, name));
        var text = TextNormalizer.Normalize(lines);
        return new Article { Id = name, Title = name, Text = text };
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Offsets_quote_the_article_exactly(string name)
    {
        var article = Sample(name);
        foreach (var passage in new Chunker(Defaults).Split(article))
            Assert.Equal(article.Text[passage.Start..passage.End], passage.Text);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Passages_cover_every_word_of_the_article(string name)
    {
        var article = Sample(name);
        var covered = new bool[article.Text.Length];
        foreach (var passage in new Chunker(Defaults).Split(article))
        {
            for (var i = passage.Start; i < passage.End; i++)
                covered[i] = true;
        }
        for (var i = 0; i < covered.Length; i++)
            Assert.True(covered[i] || char.IsWhiteSpace(article.Text[i]), $"character {i} ('{article.Text[i]}') is in no passage");
    }

    [Fact]
    public void Passages_stay_within_the_word_bounds_and_overlap_by_one_sentence()
    {
        var sentences = Enumerable.Range(1, 120).Select(i => $"Sentence number {i} has exactly seven words.").ToList();
        var text = string.Join(' ', sentences);
        var passages = new Chunker(Defaults).Split(new Article { Id = "a", Title = "t", Text = text });

        Assert.True(passages.Count >= 3);
        foreach (var passage in passages)
            Assert.InRange(SentenceSplitter.CountWords(passage.Text, 0, passage.Text.Length), 1, Defaults.MaxWords);
        foreach (var passage in passages.SkipLast(1))
            Assert.InRange(SentenceSplitter.CountWords(passage.Text, 0, passage.Text.Length), Defaults.MinWords, Defaults.MaxWords);
        for (var i = 1; i < passages.Count; i++)
        {
            var lastSentenceOfPrevious = SentenceSplitter.Split(passages[i - 1].Text)[^1];
            Assert.StartsWith(passages[i - 1].Text[lastSentenceOfPrevious.Start..lastSentenceOfPrevious.End], passages[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sentences_are_never_cut()
    {
        var sentences = Enumerable.Range(1, 60).Select(i => $"Mr. Smith met Dr. Jones at 5 p.m. on day {i} in the U.S. capital for talks.").ToList();
        var passages = new Chunker(Defaults).Split(new Article { Id = "a", Title = "t", Text = string.Join(' ', sentences) });
        foreach (var passage in passages)
        {
            Assert.StartsWith("Mr. Smith", passage.Text, StringComparison.Ordinal);
            Assert.EndsWith("for talks.", passage.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_sentence_longer_than_the_maximum_is_cut_at_word_boundaries()
    {
        var text = string.Join(' ', Enumerable.Range(1, 700).Select(i => "word" + i)) + ".";
        var passages = new Chunker(Defaults).Split(new Article { Id = "a", Title = "t", Text = text });
        Assert.True(passages.Count >= 3);
        Assert.All(passages, p => Assert.InRange(SentenceSplitter.CountWords(p.Text, 0, p.Text.Length), 1, Defaults.MaxWords));
        Assert.All(passages, p => Assert.StartsWith("word", p.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_short_article_is_one_passage_with_a_stable_id()
    {
        var passages = new Chunker(Defaults).Split(new Article { Id = "x.txt", Title = "t", Text = "One short sentence. And another." });
        var passage = Assert.Single(passages);
        Assert.Equal("x.txt#0", passage.Id);
    }
}
