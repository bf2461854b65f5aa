using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NewsBot.TestSupport;

namespace NewsBot.Cli.Tests;

/// <summary>What a new user trips over first: files created by reading verbs, unknown sources, stack traces, escaped JSON.</summary>
public sealed class FitAndFinishTests
{
    private const string Articles = """
        {"id":"r1","title":"Harbour storm","text":"A storm hit the harbour town on Monday, officials said. The mayor said repairs don't start until Friday.","source":"Reuters","published":"2024-05-01","authors":["Ann Lee"]}
        {"id":"b1","title":"Dover storm","text":"Another storm hit the town of Dover, where the café on the pier was closed.","source":"BBC News","published":"2024-05-03"}
        """;

    private static async Task<string> IngestAsync(TempDirectory dir)
    {
        var file = dir.File("news.jsonl");
        await File.WriteAllTextAsync(file, Articles);
        var index = dir.File("news.db");
        var result = await CliRunner.RunAsync("ingest", file, "--index", index);
        Assert.True(result.ExitCode == 0, result.Error);
        return index;
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("sources")]
    [InlineData("ask", "Who?")]
    [InlineData("search", "storm")]
    [InlineData("eval", "DEV")]
    [InlineData("bench", "DEV")]
    public async Task Reading_verbs_create_no_index_folder_or_file_and_name_newsbot_ingest(params string[] verb)
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "missing", "x.db");
        var args = verb.Select(a => a == "DEV" ? RepositoryPaths.SharedFile("eval", "dev.jsonl") : a).Concat(["--index", missing]).ToArray();

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("newsbot ingest", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_index_file_is_opened_read_only_and_queried()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);
        File.SetUnixFileMode(index, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            var result = await CliRunner.RunAsync("ask", "What hit the harbour town?", "--index", index);

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("storm", result.Out, StringComparison.OrdinalIgnoreCase);
            Assert.False(File.Exists(index + "-wal"));
            Assert.False(File.Exists(index + "-shm"));
        }
        finally
        {
            File.SetUnixFileMode(index, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Sources_lists_names_counts_and_date_ranges()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);

        var text = await CliRunner.RunAsync("sources", "--index", index);
        var json = await CliRunner.RunAsync("sources", "--json", "--index", index);

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Matches(@"BBC News\s+1 articles\s+2024-05-03 to 2024-05-03", text.Out);
        using var document = JsonDocument.Parse(json.Out);
        var sources = document.RootElement.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(["BBC News", "Reuters"], sources.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal("2024-05-01", sources[1].GetProperty("oldest").GetString());
    }

    [Theory]
    [InlineData("ask")]
    [InlineData("search")]
    public async Task An_unknown_source_exits_2_and_names_the_closest_known_ones(string verb)
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);

        var result = await CliRunner.RunAsync(verb, "storm", "--source", "reuter", "--index", index);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'Reuters'", result.Error, StringComparison.Ordinal);
        Assert.Contains("newsbot sources", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Json_output_keeps_apostrophes_and_accents_readable_and_stays_valid()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);

        var ask = await CliRunner.RunAsync("ask", "When do repairs start in the harbour town?", "--json", "--index", index);
        var search = await CliRunner.RunAsync("search", "café pier", "--json", "--index", index);

        Assert.Contains("don't", ask.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", ask.Out, StringComparison.Ordinal);
        Assert.Contains("café", search.Out, StringComparison.Ordinal);
        using var _ = JsonDocument.Parse(ask.Out);
        using var __ = JsonDocument.Parse(search.Out);
    }

    [Fact]
    public async Task Ctrl_C_during_ingest_says_what_was_written_and_how_to_finish_and_exits_130()
    {
        using var dir = new TempDirectory();
        var file = dir.File("news.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 20000).Select(i =>
            "{\"id\":\"a" + i + "\",\"title\":\"Story " + i + "\",\"text\":\"" + string.Join(' ', Enumerable.Range(0, 80).Select(w => $"word{(i * 31 + w) % 4099}")) + ".\"}"));
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await CliRunner.RunCancellableAsync("", ctrlC.Token, "ingest", file, "--index", dir.File("i.db"));

        Assert.Equal(130, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ingest cancelled (Ctrl-C) after writing ", line, StringComparison.Ordinal);
        Assert.Contains("Run the same command again to finish", line, StringComparison.Ordinal);
        Assert.Matches(@"^added \d+, updated 0", result.Out);
    }

    [Fact]
    public async Task The_same_file_through_a_parent_folder_or_an_absolute_path_is_the_same_article()
    {
        using var dir = new TempDirectory();
        dir.Write("mynews/a.html", "<html><head><title>Harbour storm</title></head><body><article><p>A storm hit the harbour town on Monday, officials said, and the mayor promised repairs to the wall and the quay before the summer season.</p></article></body></html>");
        dir.Write("mynews/feed.jsonl", "{\"title\":\"One\",\"text\":\"First story about the harbour.\"}\n{\"title\":\"Two\",\"text\":\"Second story about the town.\"}\n");
        var index = dir.File("i.db");

        var first = await CliRunner.RunAsync("ingest", dir.File("mynews"), "--index", index);
        var parent = await CliRunner.RunAsync("ingest", dir.Path, "--index", index);
        var absolute = await CliRunner.RunAsync("ingest", Path.GetFullPath(dir.File("mynews/a.html")), "--index", index);
        var stats = await CliRunner.RunAsync("stats", "--json", "--index", index);

        Assert.Contains("added 3,", first.Out, StringComparison.Ordinal);
        Assert.Contains("added 0, updated 0, unchanged 3", parent.Out, StringComparison.Ordinal);
        Assert.Contains("added 0, updated 0, unchanged 1", absolute.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(stats.Out);
        Assert.Equal(3, json.RootElement.GetProperty("articles").GetInt64());
    }

    [Fact]
    public async Task Search_marks_the_matched_words_in_a_snippet_and_scores_by_the_share_of_query_words()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);

        var result = await CliRunner.RunAsync("search", "harbour repairs storm", "--json", "--index", index);

        using var json = JsonDocument.Parse(result.Out);
        var first = json.RootElement.GetProperty("results")[0];
        Assert.Equal("r1", first.GetProperty("article_id").GetString());
        Assert.Equal(1.0, first.GetProperty("score").GetDouble());
        var snippet = first.GetProperty("snippet").GetString()!;
        var marked = first.GetProperty("highlights").EnumerateArray().Select(h => snippet.Substring(h[0].GetInt32(), h[1].GetInt32()).ToLowerInvariant()).ToList();
        Assert.Contains("harbour", marked);
        Assert.Contains("repairs", marked);
        Assert.Contains("storm", marked);
        Assert.DoesNotContain("town", marked);
        var text = await CliRunner.RunAsync("search", "harbour repairs storm", "--index", index);
        Assert.Contains("matches 3 of 3 query words", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gibberish_finds_no_matches_and_exits_0()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);

        var text = await CliRunner.RunAsync("search", "xqzv blorp fnordle", "--index", index);
        var json = await CliRunner.RunAsync("search", "xqzv blorp fnordle", "--json", "--index", index);

        Assert.Equal(0, text.ExitCode);
        Assert.Equal("No matches for \"xqzv blorp fnordle\".", text.Out.Trim());
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(0, document.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Dates_that_cannot_be_read_are_listed_as_warnings_and_the_article_is_still_indexed()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("news.jsonl", "{\"id\":\"x\",\"title\":\"X\",\"text\":\"A storm hit.\",\"published\":\"last tuesday-ish\"}\n{\"id\":\"y\",\"title\":\"Y\",\"text\":\"Calm day.\",\"published\":\"2024-05-01\"}\n");
        var md = dir.Write("note.md", "---\ntitle: Note\ndate: 31/31/2024\n---\nSome body text here.\n");

        var result = await CliRunner.RunAsync("ingest", file, md, "--index", dir.File("i.db"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("added 3,", result.Out, StringComparison.Ordinal);
        Assert.Contains("warnings:", result.Out, StringComparison.Ordinal);
        Assert.Contains("news.jsonl:1: date 'last tuesday-ish' could not be read", result.Out, StringComparison.Ordinal);
        Assert.Contains("note.md: date '31/31/2024' could not be read", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("news.jsonl:2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promo_lines_that_recur_across_a_sites_pages_never_become_passages()
    {
        using var dir = new TempDirectory();
        string[] topics = ["harbour wall", "school roof", "bridge repairs", "library hours", "bus timetable"];
        for (var i = 0; i < topics.Length; i++)
        {
            dir.Write($"site/{i}.html", $"""
                <html><head><title>News about the {topics[i]}</title><meta property="og:site_name" content="Port Gazette"></head><body><article>
                <p>The council decided on Tuesday that the {topics[i]} will be dealt with before the winter, a spokesman said after the meeting.</p>
                <p>Share on Facebook Share on X Email</p>
                <p>Residents had complained about the {topics[i]} for months, and a petition gathered more than two thousand names.</p>
                <p>Advertisement</p>
                <p>Get the Gazette in your inbox: sign up here</p>
                </article></body></html>
                """);
        }
        var index = dir.File("i.db");
        await CliRunner.RunAsync("ingest", dir.File("site"), "--index", index);

        var search = await CliRunner.RunAsync("search", "facebook email inbox advertisement", "--json", "--index", index);
        var ask = await CliRunner.RunAsync("ask", "What did residents complain about the bridge repairs?", "--json", "--index", index);

        using var json = JsonDocument.Parse(search.Out);
        Assert.All(json.RootElement.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.DoesNotContain("Share on Facebook", r.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Advertisement", r.GetProperty("text").GetString(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain("sign up here", ask.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("bridge repairs", ask.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Citations_name_the_authors_and_author_filters_the_articles()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);

        var ask = await CliRunner.RunAsync("ask", "What hit the harbour town?", "--index", index);
        var onlyAnn = await CliRunner.RunAsync("search", "storm town", "--author", "ann lee", "--json", "--index", index);
        var json = await CliRunner.RunAsync("ask", "What hit the harbour town?", "--json", "--index", index);

        Assert.Contains("by Ann Lee", ask.Out, StringComparison.Ordinal);
        using var results = JsonDocument.Parse(onlyAnn.Out);
        Assert.Equal(["r1"], results.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("article_id").GetString()));
        using var answer = JsonDocument.Parse(json.Out);
        Assert.Contains(answer.RootElement.GetProperty("citations").EnumerateArray(), c => c.GetProperty("authors").EnumerateArray().Any(a => a.GetString() == "Ann Lee"));
    }

    [Fact]
    public async Task Serve_with_an_unreachable_discord_prints_no_stack_trace()
    {
        using var dir = new TempDirectory();
        var index = await IngestAsync(dir);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await CliRunner.RunAsync("serve", "--index", index, "--Discord:Token=MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB",
            $"--Discord:ApiBaseUrl=http://127.0.0.1:{port}/api/v10");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("--- End of inner exception", result.Error, StringComparison.Ordinal);
    }
}
