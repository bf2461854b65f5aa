using System.IO.Compression;
using System.Text;
using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class BadInputTests
{
    [Fact]
    public async Task Bad_files_are_skipped_one_by_one_and_the_good_files_beside_them_load()
    {
        using var temp = new TempDirectory();
        temp.Write("a-good.txt", "Good one\nBody one.");
        temp.Write("b-empty.md", "  \n\t\n");
        temp.Write("c-broken.json", "{\"title\": ");
        File.WriteAllBytes(temp.File("d-binary.txt"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0x02]);
        temp.Write("e-report.pdf", "%PDF-1.7");
        temp.Write("f-good.md", "# Good two\n\nBody two.");

        var results = await Loading.AllAsync(temp.Path);

        Assert.Equal(["a-good.txt", "f-good.md"], results.Articles().Select(a => a.Id));
        Assert.Equal(
            [("b-empty.md", "empty"), ("c-broken.json", "malformed JSON"), ("d-binary.txt", "binary file"), ("e-report.pdf", "unknown extension .pdf")],
            results.Skips().Select(s => (Path.GetFileName(s.File), s.Reason.Split(':')[0])));
        Assert.All(results, r => Assert.True(Path.IsPathFullyQualified(r.File)));
    }

    [Fact]
    public async Task A_binary_file_is_skipped()
    {
        using var temp = new TempDirectory();
        var path = temp.File("image.html");
        File.WriteAllBytes(path, [.. "<html>"u8, 0x00, 0x10, 0xFF, .. "</html>"u8]);

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal((path, (int?)null, "binary file"), (skip.File, skip.Line, skip.Reason));
    }

    [Fact]
    public async Task A_file_that_is_mostly_invalid_utf8_is_binary()
    {
        using var temp = new TempDirectory();
        var path = temp.File("noise.txt");
        var noise = new byte[4096];
        new Random(7).NextBytes(noise);
        for (var i = 0; i < noise.Length; i++)
            noise[i] = noise[i] == 0 ? (byte)0xFF : noise[i];
        File.WriteAllBytes(path, noise);

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal("binary file", skip.Reason);
    }

    [Fact]
    public async Task A_windows_1252_file_is_read_as_text_not_binary()
    {
        using var temp = new TempDirectory();
        var path = temp.File("old.txt");
        // "Café reopens" / "It’s back – at last." in Windows-1252.
        File.WriteAllBytes(path, [.. "Caf"u8, 0xE9, .. " reopens\nIt"u8, 0x92, .. "s back "u8, 0x96, .. " at last."u8]);

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal("Café reopens", article.Title);
        Assert.Equal("It\u2019s back \u2013 at last.", article.Text);
    }

    [Fact]
    public async Task A_utf16_file_with_a_byte_order_mark_is_read()
    {
        using var temp = new TempDirectory();
        var path = temp.File("wide.txt");
        File.WriteAllText(path, "Wide title\nWide body.", new UnicodeEncoding(bigEndian: false, byteOrderMark: true));

        var article = await Loading.SingleArticleAsync(path);

        Assert.Equal(("Wide title", "Wide body."), (article.Title, article.Text));
    }

    [Theory]
    [InlineData("empty.txt", "")]
    [InlineData("blank.md", " \n\n\t ")]
    [InlineData("blank.html", "\n\n")]
    [InlineData("empty.json", "")]
    [InlineData("blank.jsonl", "\n \n\n")]
    [InlineData("blank.rss", "  \n")]
    public async Task Empty_or_blank_files_are_skipped_as_empty(string name, string content)
    {
        using var temp = new TempDirectory();
        var path = temp.Write(name, content);

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal((path, "empty"), (skip.File, skip.Reason));
    }

    [Theory]
    [InlineData("scan.pdf", "unknown extension .pdf")]
    [InlineData("NOTES.DOCX", "unknown extension .docx")]
    [InlineData("dump.json.gz", "unknown extension .json.gz")]
    [InlineData("README", "unknown extension (none)")]
    public async Task Files_of_unknown_extension_are_skipped_naming_the_extension(string name, string reason)
    {
        using var temp = new TempDirectory();
        var path = temp.Write(name, "whatever");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal(reason, skip.Reason);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_skipped_naming_the_setting()
    {
        using var temp = new TempDirectory();
        var big = temp.Write("big.txt", "Title\n" + new string('x', 3000));
        temp.Write("small.txt", "Small\nFits.");

        var results = await Loading.AllAsync(temp.Path, maxFileBytes: 2048);

        Assert.Equal(["small.txt"], results.Articles().Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.Equal((big, "larger than Ingest:MaxFileBytes (2 KB)"), (skip.File, skip.Reason));
    }

    [Fact]
    public async Task The_default_size_limit_is_named_in_megabytes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("huge.html");
        await using (var stream = File.Create(path))
            stream.SetLength(Core.Ingestion.LoaderOptions.DefaultMaxFileBytes + 1);

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal("larger than Ingest:MaxFileBytes (20 MB)", skip.Reason);
    }

    [Fact]
    public async Task In_json_lines_the_size_limit_applies_to_each_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("lines.jsonl",
            "{\"id\": \"a\", \"text\": \"Short.\"}\n" +
            $"{{\"id\": \"b\", \"text\": \"{new string('x', 5000)}\"}}\n" +
            "{\"id\": \"c\", \"text\": \"Short too.\"}\n");

        var results = await Loading.AllAsync(path, maxFileBytes: 1024);

        Assert.Equal(["a", "c"], results.Articles().Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.Equal((2, "line larger than Ingest:MaxFileBytes (1 KB)"), (skip.Line, skip.Reason));
    }

    [Fact]
    public async Task An_unreadable_file_is_skipped_with_the_io_message_and_the_next_file_loads()
    {
        using var temp = new TempDirectory();
        var dangling = temp.File("a-dangling.txt");
        File.CreateSymbolicLink(dangling, temp.File("does-not-exist.txt"));
        temp.Write("b-fine.txt", "Fine\nStill loads.");

        var results = await Loading.AllAsync(temp.Path);

        Assert.Equal(["b-fine.txt"], results.Articles().Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.Equal(dangling, skip.File);
        Assert.StartsWith("unreadable: ", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_json_file_is_skipped_with_the_line_of_the_error()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("broken.json", "{\n  \"title\": \"T\",\n  \"text\": oops\n}");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal(3, skip.Line);
        Assert.StartsWith("malformed JSON: ", skip.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jsonl_gz_that_is_not_gzip_is_skipped()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("plain.jsonl.gz", "{\"id\": \"a\", \"text\": \"Not compressed.\"}\n");

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal((path, "not a gzip file"), (skip.File, skip.Reason));
    }

    [Fact]
    public async Task A_truncated_gzip_keeps_the_lines_before_the_cut_and_reports_the_rest()
    {
        using var temp = new TempDirectory();
        var whole = temp.File("whole.jsonl.gz");
        JsonLoadingTests.WriteGzip(whole, NumberedLines(2000));
        var bytes = await File.ReadAllBytesAsync(whole);
        var path = temp.File("cut.jsonl.gz");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var results = await Loading.AllAsync(path);

        var articles = results.Articles();
        Assert.InRange(articles.Count, 100, 1999);
        Assert.Equal(Enumerable.Range(1, articles.Count).Select(i => $"n{i}"), articles.Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.Same(skip, results[^1].Skip);
        Assert.StartsWith("truncated gzip", skip.Reason, StringComparison.Ordinal);
        Assert.Equal(articles.Count + 1, skip.Line);
    }

    [Fact]
    public async Task A_whole_gzip_is_not_reported_as_truncated()
    {
        using var temp = new TempDirectory();
        var path = temp.File("whole.jsonl.gz");
        JsonLoadingTests.WriteGzip(path, NumberedLines(3000));

        var results = await Loading.AllAsync(path);

        Assert.Empty(results.Skips());
        Assert.Equal(3000, results.Articles().Count);
    }

    [Fact]
    public async Task Corrupt_gzip_data_is_skipped_with_the_line_it_broke_in()
    {
        using var temp = new TempDirectory();
        var path = temp.File("corrupt.jsonl.gz");
        JsonLoadingTests.WriteGzip(path, NumberedLines(2000));
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++)
            bytes[i] = 0xFF;
        await File.WriteAllBytesAsync(path, bytes);

        var results = await Loading.AllAsync(path);

        var articles = results.Articles();
        Assert.NotEmpty(articles);
        Assert.Equal(Enumerable.Range(1, articles.Count).Select(i => $"n{i}"), articles.Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.StartsWith("corrupt gzip data: ", skip.Reason, StringComparison.Ordinal);
        Assert.Equal(articles.Count + 1, skip.Line);
    }

    [Fact]
    public async Task A_gzipped_binary_file_is_skipped_as_binary()
    {
        using var temp = new TempDirectory();
        var path = temp.File("blob.jsonl.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gzip.Write(new byte[1000]);

        var skip = await Loading.SingleSkipAsync(path);

        Assert.Equal("binary file", skip.Reason);
    }

    [Fact]
    public async Task A_path_that_does_not_exist_is_reported_and_the_other_paths_load()
    {
        using var temp = new TempDirectory();
        var good = temp.Write("ok.txt", "Ok\nText.");
        var missing = temp.File("missing");

        var results = await Loading.AllAsync([missing, good]);

        Assert.Equal(["ok.txt"], results.Articles().Select(a => a.Id));
        var skip = Assert.Single(results.Skips());
        Assert.Equal((missing, "not found"), (skip.File, skip.Reason));
    }

    /// <summary>Lines <c>n1</c>..<c>nN</c> with hard-to-compress text, the same on every run.</summary>
    private static IEnumerable<string> NumberedLines(int count)
    {
        var random = new Random(20240601);
        return Enumerable.Range(1, count).Select(i => $"{{\"id\": \"n{i}\", \"text\": \"Story {i} {random.NextInt64():x}{random.NextInt64():x}.\"}}");
    }
}
