using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Extractive;
using NewsBot.Core.Articles;
using NewsBot.Core.Passages;
using NewsBot.Core.Text;
using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Answering;

public sealed partial class ExtractiveAnswererTests
{
    private static readonly ExtractiveAnswerer Answerer = new(Options.Create(new ExtractiveOptions()));

    /// <summary>All passages of both samples, numbered, as if retrieval had returned them all.</summary>
    private static List<RetrievedPassage> SamplePassages()
    {
        var chunker = new Chunker(new ChunkingOptions());
        var passages = new List<RetrievedPassage>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.Samples, "*.txt").Order(StringComparer.Ordinal))
        {
            var article = new Article { Id = Path.GetFileName(file), Title = "t", Text = TextNormalizer.Normalize(File.ReadAllText(file)) };
            foreach (var passage in chunker.Split(article))
                passages.Add(new RetrievedPassage(passages.Count + 1, passage, 1.0 / (passages.Count + 1), 0.5f));
        }
        return passages;
    }

    [Fact]
    public async Task Answers_from_the_passage_that_holds_the_answer_and_cites_it()
    {
        var passages = SamplePassages();
        var answer = await Answerer.AnswerAsync(new AnswerRequest("How many lawsuits is Sony facing from employees?", passages, []), CancellationToken.None);
        Assert.False(answer.Refused);
        Assert.Contains("four", answer.Text, StringComparison.Ordinal);
        Assert.Contains(answer.Citations, c => c.ArticleId == "003_1f7b7d4ed5a94d40.txt" && c.Quote.Contains("four separate lawsuits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_marker_in_the_text_is_a_citation_of_a_given_passage()
    {
        var passages = SamplePassages();
        var answer = await Answerer.AnswerAsync(new AnswerRequest("Who is Doug Madory?", passages, []), CancellationToken.None);
        var markers = Marker().Matches(answer.Text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.NotEmpty(markers);
        Assert.Equal(markers, answer.Citations.Select(c => c.Number).ToHashSet());
        Assert.All(answer.Citations, c => Assert.Contains(passages, p => p.Number == c.Number && p.Passage.Id == c.PassageId && p.Passage.Text.Contains(c.Quote, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Who won the 2014 FIFA World Cup?")]
    [InlineData("What was the box office revenue of The Interview?")]
    [InlineData("What is the recipe for banana bread?")]
    public async Task Refuses_when_the_articles_do_not_cover_the_question(string question)
    {
        var answer = await Answerer.AnswerAsync(new AnswerRequest(question, SamplePassages(), []), CancellationToken.None);
        Assert.True(answer.Refused);
        Assert.Equal(Answer.RefusalText, answer.Text);
        Assert.Empty(answer.Citations);
    }

    private static List<RetrievedPassage> Passages(params string[] texts) =>
        texts.Select((t, i) => new RetrievedPassage(i + 1, new Passage { Id = $"a{i}#0", ArticleId = $"a{i}", Ordinal = 0, Start = 0, End = t.Length, Text = t, Title = "t" }, 1, 0.5f)).ToList();

    [Fact]
    public async Task A_sentence_about_another_year_does_not_answer_a_question_about_this_one()
    {
        var passages = Passages("Argentina beat France to win the 2022 FIFA World Cup final in Qatar. The match went to penalties after extra time.");
        var answer = await Answerer.AnswerAsync(new AnswerRequest("Who won the 2014 FIFA World Cup?", passages, []), CancellationToken.None);
        Assert.True(answer.Refused);
    }

    [Fact]
    public async Task A_name_must_appear_as_a_name_not_as_a_common_word()
    {
        var passages = Passages("The box office revenue of the theatre chain rose, its chief executive said in an interview on Monday about revenue.");
        var refused = await Answerer.AnswerAsync(new AnswerRequest("What was the box office revenue of The Interview?", passages, []), CancellationToken.None);
        Assert.True(refused.Refused);

        var named = Passages("The box office revenue of The Interview reached $6 million in its first weekend online, Sony said.");
        var answered = await Answerer.AnswerAsync(new AnswerRequest("What was the box office revenue of The Interview?", named, []), CancellationToken.None);
        Assert.False(answered.Refused);
        Assert.Contains("$6 million", answered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_when_nothing_was_retrieved()
    {
        var answer = await Answerer.AnswerAsync(new AnswerRequest("Who is Doug Madory?", [], []), CancellationToken.None);
        Assert.True(answer.Refused);
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Marker();
}
