using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class JsonLoadingTests
{
    [Fact]
    public async Task A_json_object_loads_as_one_article_with_its_fields()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("a.json", """
            {"id": "n-1", "title": "Dam opens", "source": "Wire", "url": "https://example.com/dam",
             "date": "2022-07-01", "text": "The dam opened.\n\nWater flows.", "authors": ["Ana Ruiz", "Ben Ode"]}
            """);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("n-1", article.Id);
        Assert.Equal("Dam opens", article.Title);
        Assert.Equal("Wire", article.Source);
        Assert.Equal("https://example.com/dam", article.Url);
        Assert.Equal(new DateTimeOffset(2022, 7, 1, 0, 0, 0, TimeSpan.Zero), article.Published);
        Assert.Equal("The dam opened.\n\nWater flows.", article.Text);
        Assert.Equal(["Ana Ruiz", "Ben Ode"], article.Authors);
        Assert.Equal(path, article.Origin);
    }

    [Fact]
    public async Task A_json_object_without_id_takes_its_relative_path()
    {
        using var temp = new TempDirectory();
        temp.Write("feeds/b.json", """{"title": "T", "text": "Body."}""");

        var results = await Loading.AllAsync(temp.Path);

        Assert.Equal("feeds/b.json", Assert.Single(results.Articles()).Id);
    }

    [Fact]
    public async Task A_json_array_loads_every_record_numbering_those_without_ids()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("many.json", """
            [
              {"title": "First", "text": "One."},
              {"id": 42, "title": "Second", "text": "Two."},
              "not an object",
              {"title": "Fourth", "text": ""},
              {"title": "Fifth", "body": "Five."}
            ]
            """);

        var results = await Loading.AllAsync(path);

        Assert.Equal(["many.json#1", "42", "many.json#5"], results.Articles().Select(a => a.Id));
        Assert.Equal(["record 3: not a JSON object", "record 4: no text"], results.Skips().Select(s => s.Reason));
        Assert.All(results.Skips(), s => Assert.Equal(path, s.File));
    }

    [Fact]
    public async Task Alternative_field_names_are_accepted()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("alt.jsonl", """
            {"id": "b", "title": "Body", "body": "From body.", "published": "Tue, 10 Jun 2003 04:00:00 GMT", "author": "Solo Writer"}
            {"id": "c", "title": "Content", "content": "From content.", "published": 1700000000}
            {"id": "d", "title": "Unix ms", "text": "Millis.", "date": 1700000000000}
            """);

        var articles = (await Loading.AllAsync(path)).Articles();

        Assert.Equal(["From body.", "From content.", "Millis."], articles.Select(a => a.Text));
        Assert.Equal(new DateTimeOffset(2003, 6, 10, 4, 0, 0, TimeSpan.Zero), articles[0].Published);
        Assert.Equal(["Solo Writer"], articles[0].Authors);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), articles[1].Published);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), articles[2].Published);
    }

    [Fact]
    public async Task An_unparseable_date_leaves_published_empty_and_keeps_the_article()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("d.json", """{"title": "T", "date": "sometime last week", "text": "Body."}""");

        var article = await Loading.SingleArticleAsync(path);

        Assert.Null(article.Published);
    }

    [Fact]
    public async Task A_missing_title_becomes_the_first_sentence_cut_to_120_characters()
    {
        using var temp = new TempDirectory();
        var longSentence = string.Join(' ', Enumerable.Repeat("word", 60)) + ".";
        var path = temp.Write("untitled.jsonl",
            "{\"id\": \"s\", \"text\": \"Short first sentence. Then more.\"}\n" +
            $"{{\"id\": \"l\", \"title\": \"  \", \"text\": \"{longSentence}\"}}\n");

        var articles = (await Loading.AllAsync(path)).Articles();

        Assert.Equal("Short first sentence.", articles[0].Title);
        Assert.InRange(articles[1].Title.Length, 60, 120);
        Assert.StartsWith("word word", articles[1].Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_line_is_skipped_with_its_number_and_the_other_lines_load()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("mixed.jsonl",
            "{\"id\": \"a\", \"title\": \"A\", \"text\": \"Alpha.\"}\n" +
            "{\"id\": \"b\", \"title\": \"B\", \"text\": \"Beta.\"\n" +
            "\n" +
            "[1, 2]\n" +
            "{\"id\": \"e\", \"title\": \"E\"}\n" +
            "{\"title\": \"F\", \"text\": \"Foxtrot.\"}");

        var results = await Loading.AllAsync(path);

        Assert.Equal(["a", "mixed.jsonl#6"], results.Articles().Select(a => a.Id));
        var skips = results.Skips();
        Assert.Equal([2, 4, 5], skips.Select(s => s.Line!.Value));
        Assert.StartsWith("malformed JSON: ", skips[0].Reason, StringComparison.Ordinal);
        Assert.Equal("not a JSON object", skips[1].Reason);
        Assert.Equal("no text", skips[2].Reason);
        Assert.All(skips, s => Assert.Equal(path, s.File));
    }

    [Fact]
    public async Task A_line_with_invalid_utf8_or_a_lone_surrogate_is_skipped_and_the_next_lines_load()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bytes.jsonl");
        await File.WriteAllBytesAsync(path, [
            .. "{\"id\": \"a\", \"text\": \"Fine.\"}\n"u8,
            .. "{\"id\": \"b\", \"text\": \"Bad "u8, 0xC3, 0x28, .. "\"}\n"u8,
            .. "{\"id\": \"c\", \"text\": \"Lone \\ud800 half.\"}\n"u8,
            .. "{\"id\": \"d\", \"text\": \"Fine too.\"}\n"u8,
        ]);

        var results = await Loading.AllAsync(path);

        Assert.Equal(["a", "d"], results.Articles().Select(a => a.Id));
        Assert.Equal([(2, "invalid UTF-8"), (3, "unreadable text")], results.Skips().Select(s => (s.Line!.Value, s.Reason.Split(':')[0])));
    }

    [Fact]
    public async Task Lines_longer_than_the_read_buffer_load_whole()
    {
        using var temp = new TempDirectory();
        var bigText = string.Join("\\n\\n", Enumerable.Range(0, 4000).Select(i => $"Paragraph {i} of a long story."));
        var path = temp.Write("long.jsonl", $"{{\"id\": \"big\", \"text\": \"{bigText}\"}}\n{{\"id\": \"small\", \"text\": \"Small.\"}}\n");

        var articles = (await Loading.AllAsync(path)).Articles();

        Assert.Equal(["big", "small"], articles.Select(a => a.Id));
        Assert.EndsWith("Paragraph 3999 of a long story.", articles[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gzipped_json_lines_file_loads()
    {
        using var temp = new TempDirectory();
        var path = temp.File("news.jsonl.gz");
        WriteGzip(path, Enumerable.Range(1, 50).Select(i => $"{{\"title\": \"Story {i}\", \"text\": \"Body {i}.\"}}"));

        var articles = (await Loading.AllAsync(path)).Articles();

        Assert.Equal(50, articles.Count);
        Assert.Equal("news.jsonl.gz#1", articles[0].Id);
        Assert.Equal("Story 50", articles[^1].Title);
    }

    [Fact]
    public async Task The_first_corpus_lines_load_with_their_ids_sources_dates_and_authors()
    {
        var corpusLines = new List<string>();
        await using (var gzip = new GZipStream(File.OpenRead(RepositoryPaths.SharedFile("datasets", "news-corpus.jsonl.gz")), CompressionMode.Decompress))
        using (var reader = new StreamReader(gzip, Encoding.UTF8))
        {
            while (corpusLines.Count < 20 && await reader.ReadLineAsync() is { } line)
                corpusLines.Add(line);
        }
        using var temp = new TempDirectory();
        var path = temp.File("corpus-head.jsonl");
        await File.WriteAllLinesAsync(path, corpusLines);

        var results = await Loading.AllAsync(path);

        Assert.Empty(results.Skips());
        var articles = results.Articles();
        Assert.Equal(20, articles.Count);
        for (var i = 0; i < 20; i++)
        {
            using var record = JsonDocument.Parse(corpusLines[i]);
            var root = record.RootElement;
            Assert.StartsWith("rtqa-", articles[i].Id, StringComparison.Ordinal);
            Assert.Equal(root.GetProperty("id").GetString(), articles[i].Id);
            Assert.Equal(root.GetProperty("source").GetString(), articles[i].Source);
            Assert.Equal(DateTimeOffset.Parse(root.GetProperty("date").GetString()! + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), articles[i].Published);
            Assert.Equal(root.GetProperty("authors").EnumerateArray().Select(a => a.GetString()!), articles[i].Authors);
            Assert.False(string.IsNullOrWhiteSpace(articles[i].Text));
        }
    }

    internal static void WriteGzip(string path, IEnumerable<string> lines)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false));
        foreach (var line in lines)
            writer.Write(line + "\n");
    }
}
