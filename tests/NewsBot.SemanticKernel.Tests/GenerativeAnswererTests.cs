using NewsBot.Core.Answering;
using NewsBot.Core.Answering.Generative;
using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenAI;

namespace NewsBot.SemanticKernel.Tests;

public sealed class GenerativeAnswererTests
{
    private const string Question = "When did the Lagos metro open?";

    [Fact]
    public async Task Sends_the_numbered_sources_the_question_and_the_prompt_files_settings()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var answerer = Fixtures.Answerer(server);

        await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        var request = Assert.Single(server.ChatRequests);
        Assert.Equal(Fixtures.ChatModel, request.Model);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m.Role));
        Assert.Contains("cite", request.SystemText, StringComparison.Ordinal);
        foreach (var passage in Fixtures.Passages)
        {
            Assert.Contains($"⟦SOURCE {passage.Number}⟧\nTitle: {passage.Passage.Title}", request.UserText, StringComparison.Ordinal);
            Assert.Contains(passage.Passage.Text, request.UserText, StringComparison.Ordinal);
        }
        Assert.Contains("Question: " + Question, request.UserText, StringComparison.Ordinal);
        var prompt = Fixtures.Prompts.Get("answer").ExecutionSettings;
        Assert.Equal(prompt.Temperature!.Value, request.Temperature!.Value, 3);
        Assert.Equal(prompt.MaxTokens, request.MaxTokens);
    }

    [Fact]
    public async Task Keeps_valid_citations_and_drops_invented_ones()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(
            "The Lagos Blue Line metro opened to passengers on Monday [1][5]. It carried 20,000 riders on its first day [1, 7]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.False(answer.Refused);
        Assert.Equal("The Lagos Blue Line metro opened to passengers on Monday. [1] It carried 20,000 riders on its first day. [1]", answer.Text);
        var citation = Assert.Single(answer.Citations);
        Assert.Equal(1, citation.Number);
        Assert.Equal("lagos-metro", citation.ArticleId);
        Assert.Equal("https://news.example.com/lagos-metro", citation.Url);
        Assert.StartsWith("The Lagos Blue Line metro opened", citation.Quote, StringComparison.Ordinal);
        Assert.Null(answer.Notice);
    }

    [Theory]
    [InlineData("The metro opened on Monday [1] and tea exports rose 12 percent [2].")]
    [InlineData("The metro opened on Monday and tea exports rose 12 percent [1, 2].")]
    [InlineData("The metro opened on Monday and tea exports rose 12 percent [1-2].")]
    [InlineData("The metro opened on Monday and tea exports rose 12 percent. [1][2]")]
    [InlineData("The metro opened on Monday and tea exports rose 12 percent [Source 1, Source 2].")]
    public async Task Reads_every_way_models_write_citations(string reply)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(reply));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.Equal([1, 2], answer.Citations.Select(c => c.Number));
        Assert.Contains("[1][2]", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removes_sentences_the_cited_passages_do_not_support()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(
            "The council voted to close the Main Street bridge for repairs starting in June [3]. The mayor resigned over a corruption scandal last year [3]. The closure will cost 40 million dollars [3]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request("Why is the Main Street bridge closing?"), CancellationToken.None);

        Assert.Equal("The council voted to close the Main Street bridge for repairs starting in June. [3]", answer.Text);
    }

    [Fact]
    public async Task Removes_uncited_claims_but_keeps_sentences_that_add_nothing()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(
            "Here is what the articles report.\n\nEngineers found corrosion in the steel supports of the bridge [3]. The bridge will reopen in 2027."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request("Why is the Main Street bridge closing?"), CancellationToken.None);

        Assert.Equal("Here is what the articles report.\n\nEngineers found corrosion in the steel supports of the bridge. [3]", answer.Text);
    }

    [Fact]
    public async Task A_cited_passage_that_shares_nothing_with_the_sentence_loses_the_citation()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("The jazz festival drew 45,000 visitors over three days [4][2]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request("How many people went to the jazz festival?"), CancellationToken.None);

        Assert.Equal("The jazz festival drew 45,000 visitors over three days. [4]", answer.Text);
        Assert.Equal([4], answer.Citations.Select(c => c.Number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("The festival drew 45,000 visitors [5]. It will move to the harbour district [7].")]
    [InlineData("The Lagos metro opened on Monday.")]
    public async Task Falls_back_to_the_extractive_answer_when_nothing_supported_remains(string reply)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(reply));
        var answerer = Fixtures.Answerer(server);
        var request = Fixtures.Request(Question);

        var answer = await answerer.AnswerAsync(request, CancellationToken.None);

        var extractive = await Fixtures.Extractive().AnswerAsync(request, CancellationToken.None);
        Assert.Equal(extractive.Text, answer.Text);
        Assert.Equal(extractive.Citations, answer.Citations);
        Assert.NotNull(answer.Notice);
    }

    [Theory]
    [InlineData("The sources don't say.")]
    [InlineData("The sources do not say when the metro opened.")]
    [InlineData("The provided sources don't mention this [2].")]
    public async Task A_model_saying_the_sources_do_not_say_gives_the_refusal(string reply)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(reply));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request("Who won the chess olympiad?"), CancellationToken.None);

        Assert.True(answer.Refused);
        Assert.Equal(Answer.RefusalText, answer.Text);
        Assert.Empty(answer.Citations);
    }

    [Fact]
    public async Task Keeps_a_statement_of_what_the_sources_do_not_say_beside_supported_claims()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("The council voted 7-2 to close the bridge [3]. The sources don't say how long the repairs will take."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request("How long will the bridge be closed?"), CancellationToken.None);

        Assert.False(answer.Refused);
        Assert.Equal("The council voted 7-2 to close the bridge. [3] The sources don't say how long the repairs will take.", answer.Text);
    }

    [Fact]
    public async Task A_supported_claim_beside_a_statement_of_what_the_sources_do_not_say_is_an_answer()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("The articles don't say what the repairs cost, but the council voted 7-2 to close the bridge [3]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request("What will the bridge repairs cost?"), CancellationToken.None);

        Assert.False(answer.Refused);
        Assert.Equal([3], answer.Citations.Select(c => c.Number));
    }

    [Fact]
    public async Task Without_passages_refuses_without_asking_the_model()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question, []), CancellationToken.None);

        Assert.True(answer.Refused);
        Assert.Empty(server.ChatRequests);
    }

    [Fact]
    public async Task Answers_after_a_429_once_the_server_lets_it()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.RateLimited(TimeSpan.FromSeconds(1)), FakeReply.Chat("The metro opened to passengers on Monday [1]."));
        var answerer = Fixtures.Answerer(server);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.Equal("The metro opened to passengers on Monday. [1]", answer.Text);
        Assert.Null(answer.Notice);
        Assert.Equal(2, server.ChatRequests.Count);
        // The resilience handler waited as long as Retry-After said before the second request.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task Falls_back_to_the_extractive_answer_with_a_notice_when_the_server_keeps_failing()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ChatResponder = _ => FakeReply.ServerError();
        var answerer = Fixtures.Answerer(server);
        var request = Fixtures.Request(Question);

        var answer = await answerer.AnswerAsync(request, CancellationToken.None);

        Assert.Equal(4, server.ChatRequests.Count);
        var extractive = await Fixtures.Extractive().AnswerAsync(request, CancellationToken.None);
        Assert.Equal(extractive.Text, answer.Text);
        Assert.Contains("[1]", answer.Text, StringComparison.Ordinal);
        Assert.Contains("HTTP 500 after 3 retries", answer.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Falls_back_with_the_settings_message_when_the_key_is_rejected()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.RequiredApiKey = "right-key";
        var answerer = Fixtures.Answerer(server, configure: o => o.ApiKey = "wrong-key");

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.Contains("The model endpoint rejected the API key: check Model:ApiKey", answer.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_shows_progress_and_ends_with_the_same_answer_as_not_streaming()
    {
        const string reply = "The Lagos Blue Line metro opened on Monday [1][5]. It carried 20,000 riders on its first day [1]. The mayor resigned [2].";
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(reply), FakeReply.Chat(reply) with { ChunkSize = 5 });
        var answerer = Fixtures.Answerer(server);
        var request = Fixtures.Request(Question);

        var plain = await answerer.AnswerAsync(request, CancellationToken.None);
        var updates = await answerer.StreamAsync(request, CancellationToken.None).ToListAsync();

        Assert.True(updates.Count > 10);
        Assert.All(updates.Take(updates.Count - 1), u => Assert.Null(u.Final));
        for (var i = 1; i < updates.Count - 1; i++)
            Assert.StartsWith(updates[i - 1].Text, updates[i].Text, StringComparison.Ordinal);
        Assert.Equal(reply, updates[^2].Text);
        var final = updates[^1].Final;
        Assert.NotNull(final);
        Assert.Equal(plain, final with { Citations = plain.Citations, Passages = plain.Passages });
        Assert.Equal(plain.Citations, final.Citations);
        Assert.Equal(final.Text, updates[^1].Text);
    }

    [Fact]
    public async Task Streaming_falls_back_with_a_notice_when_the_server_keeps_failing()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.ChatResponder = _ => FakeReply.ServerError();
        var answerer = Fixtures.Answerer(server);

        var final = await Fixtures.FinalAsync(answerer.StreamAsync(Fixtures.Request(Question), CancellationToken.None));

        Assert.Contains("[1]", final.Text, StringComparison.Ordinal);
        Assert.NotNull(final.Notice);
    }

    [Fact]
    public async Task Leaves_the_lowest_ranked_passages_out_when_over_the_token_budget()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("The metro opened on Monday [1]. The festival drew 45,000 visitors over three days [4]."));
        // The fixture passages with their headings cost about 78, 69 and 73 tokens.
        var answerer = Fixtures.Answerer(server, new ModelAnswerOptions { ContextTokenBudget = 175 });

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        var user = Assert.Single(server.ChatRequests).UserText;
        Assert.Contains("⟦SOURCE 1⟧", user, StringComparison.Ordinal);
        Assert.Contains("⟦SOURCE 2⟧", user, StringComparison.Ordinal);
        Assert.DoesNotContain("⟦SOURCE 3⟧", user, StringComparison.Ordinal);
        Assert.DoesNotContain("⟦SOURCE 4⟧", user, StringComparison.Ordinal);
        Assert.Equal("The metro opened on Monday. [1]", answer.Text);
        Assert.Equal(4, answer.Passages.Count);
    }

    [Fact]
    public async Task Always_sends_the_best_passage_shortened_to_the_budget()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var longText = string.Join(' ', Enumerable.Repeat("The Lagos Blue Line metro opened to passengers on Monday.", 200));
        var passages = new[] { Fixtures.Passage(1, "long", "Long article", null, null, longText) };
        var answerer = Fixtures.Answerer(server, new ModelAnswerOptions { ContextTokenBudget = 200 });

        await answerer.AnswerAsync(Fixtures.Request(Question, passages), CancellationToken.None);

        var user = Assert.Single(server.ChatRequests).UserText;
        Assert.Contains("⟦SOURCE 1⟧", user, StringComparison.Ordinal);
        Assert.InRange(user.Length, 400, 1200);
    }

    [Fact]
    public async Task Keeps_links_to_the_sources_and_removes_any_other()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat(
            "The metro opened on Monday, as https://news.example.com/lagos-metro reports [1]. " +
            "It carried 20,000 riders on its first day, see [this page](https://evil.example/win) and <https://evil.example/more> or www.evil.example [1]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.Contains("https://news.example.com/lagos-metro", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", answer.Text, StringComparison.Ordinal);
        Assert.Contains("this page", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mentions_in_the_answer_ping_no_one()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("@everyone @here the metro opened on Monday, <@123456789012> <@!42> <@&987654321> <#555> [1]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.Contains("metro opened on Monday", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(PingingMention, answer.Text);
    }

    [Fact]
    public async Task Hidden_reasoning_of_reasoning_models_is_not_shown()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue(FakeReply.Chat("<think>The user asks about Lagos. Source 1 says Monday.</think>The metro opened on Monday [1]."));
        var answerer = Fixtures.Answerer(server);

        var answer = await answerer.AnswerAsync(Fixtures.Request(Question), CancellationToken.None);

        Assert.Equal("The metro opened on Monday. [1]", answer.Text);
    }

    [Fact]
    public async Task Shows_the_conversation_so_far_to_the_model_without_old_citation_markers()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var answerer = Fixtures.Answerer(server);
        var request = Fixtures.Request("How many riders did it carry?") with
        {
            History = [new ConversationTurn("When did the Lagos metro open?", "It opened on Monday. [1]")],
        };

        await answerer.AnswerAsync(request, CancellationToken.None);

        var user = Assert.Single(server.ChatRequests).UserText;
        Assert.Contains("Q: When did the Lagos metro open?\nA: It opened on Monday.", user, StringComparison.Ordinal);
    }

    /// <summary>Discord pings for @everyone, @here, &lt;@id&gt;, &lt;@!id&gt;, &lt;@&amp;id&gt; (and links channels with &lt;#id&gt;).</summary>
    internal const string PingingMention = @"@(everyone|here)|<[@#][!&]?\d";
}
