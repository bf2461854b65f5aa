using NewsBot.Core.Answering;
using NewsBot.Core.Evaluation;
using NewsBot.Core.Passages;

namespace NewsBot.Core.Tests.Evaluation;

public sealed class EvalRunnerTests
{
    private static RetrievedPassage Passage(string article, string text) =>
        new(1, new Passage { Id = article + "#0", ArticleId = article, Ordinal = 0, Start = 0, End = text.Length, Text = text, Title = "t" }, 1, 1);

    [Fact]
    public void A_hit_needs_the_source_article_and_one_evidence_string_with_quotes_folded()
    {
        var question = new EvalQuestion { Question = "q", Sources = ["a.txt"], Evidence = ["Korea's internet"] };
        Assert.True(EvalRunner.IsHit(question, Passage("a.txt", "North Korea’s internet  is down")));
        Assert.False(EvalRunner.IsHit(question, Passage("b.txt", "North Korea's internet is down")));
        Assert.False(EvalRunner.IsHit(question, Passage("a.txt", "Something else")));
        Assert.True(EvalRunner.IsHit(question with { Evidence = [] }, Passage("a.txt", "Something else")));
    }

    [Fact]
    public void Questions_without_expected_answers_count_for_retrieval_but_not_for_answer_accuracy()
    {
        var withAnswer = new EvalQuestion { Question = "a", Answers = ["x"] };
        var fromFeedback = new EvalQuestion { Question = "f", Sources = ["a.txt"] };

        var report = EvalRunner.Summarise(
        [
            new EvalOutcome(withAnswer, 1, false, true, 1, 1, 10, "x"),
            new EvalOutcome(fromFeedback, 1, false, false, 1, 1, 10, "y"),
        ]);

        Assert.Equal(1.0, report.AnswerAccuracy);
        Assert.Equal(1.0, report.RecallAt1);
        Assert.Equal(2, report.Questions);
    }

    [Fact]
    public void Figures_follow_the_definitions()
    {
        var answerable = new EvalQuestion { Question = "a", Answerable = true, Answers = ["x"] };
        var unanswerable = new EvalQuestion { Question = "u", Answerable = false };
        var report = EvalRunner.Summarise(
        [
            new EvalOutcome(answerable, 1, false, true, 2, 1, 10, "x"),
            new EvalOutcome(answerable, 7, true, false, 0, 0, 20, "x"),
            new EvalOutcome(unanswerable, null, true, false, 0, 0, 30, "x"),
            new EvalOutcome(unanswerable, null, false, false, 1, 0, 40, "x"),
        ]);
        Assert.Equal(4, report.Questions);
        Assert.Equal(0.5, report.RecallAt1);
        Assert.Equal(0.5, report.RecallAt5);
        Assert.Equal(1.0, report.RecallAt10);
        Assert.Equal(Math.Round((1 + (1.0 / 7)) / 2, 4), report.MrrAt10);
        Assert.Equal(0.5, report.AnswerAccuracy);
        Assert.Equal(0.5, report.CitationPrecision);
        Assert.Equal(0.5, report.RefusalAccuracy);
        Assert.Equal(0.5, report.FalseRefusalRate);
        Assert.Equal(20, report.P50Ms);
        Assert.Equal(40, report.P95Ms);
    }
}
