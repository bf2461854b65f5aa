using NewsBot.Core.Ingestion;
using NewsBot.TestSupport;

namespace NewsBot.Core.Tests.Ingestion;

public sealed class FolderWalkingTests
{
    private static TempDirectory Tree()
    {
        var temp = new TempDirectory();
        temp.Write("b.txt", "B\nBody.");
        temp.Write("a/z.txt", "AZ\nBody.");
        temp.Write("a/b/c.md", "# ABC\n\nBody.");
        temp.Write("a.txt", "A\nBody.");
        temp.Write("A-upper.txt", "Upper\nBody.");
        temp.Write(".hidden.txt", "Hidden\nBody.");
        temp.Write(".git/config.txt", "Git\nBody.");
        temp.Write("a/.cache/x.txt", "Cache\nBody.");
        return temp;
    }

    [Fact]
    public async Task Folders_are_read_recursively_in_ordinal_order_of_relative_paths()
    {
        using var temp = Tree();

        var results = await Loading.AllAsync(temp.Path);

        Assert.Empty(results.Skips());
        Assert.Equal(["A-upper.txt", "a.txt", "a/b/c.md", "a/z.txt", "b.txt"], results.Articles().Select(a => a.Id));
    }

    [Fact]
    public async Task Ids_are_relative_to_the_folder_given_and_origins_are_full_paths()
    {
        using var temp = Tree();

        var results = await Loading.AllAsync(Path.Combine(temp.Path, "a"));

        var articles = results.Articles();
        Assert.Equal(["b/c.md", "z.txt"], articles.Select(a => a.Id));
        Assert.Equal([Path.Combine(temp.Path, "a", "b", "c.md"), Path.Combine(temp.Path, "a", "z.txt")], articles.Select(a => a.Origin));
    }

    [Fact]
    public async Task Hidden_files_and_folders_are_ignored_silently()
    {
        using var temp = Tree();

        var results = await Loading.AllAsync(temp.Path);

        Assert.DoesNotContain(results, r => r.File.Contains("/.", StringComparison.Ordinal));
    }

    [Fact]
    public void Enumerate_files_lists_what_load_reads_in_the_same_order_with_roots()
    {
        using var temp = Tree();
        temp.Write("notes.pdf", "%PDF");
        var single = temp.Write("single/one.txt", "One\nBody.");
        var loader = new ArticleLoader(new LoaderOptions());

        var files = loader.EnumerateFiles([Path.Combine(temp.Path, "a"), single, temp.File("missing")]);

        Assert.Equal(
            [
                new SourceFile(Path.Combine(temp.Path, "a", "b", "c.md"), "b/c.md", Path.Combine(temp.Path, "a")),
                new SourceFile(Path.Combine(temp.Path, "a", "z.txt"), "z.txt", Path.Combine(temp.Path, "a")),
                new SourceFile(single, "one.txt", Path.Combine(temp.Path, "single")),
            ],
            files);
    }

    [Fact]
    public async Task Enumerate_files_counts_every_file_that_load_reports_on()
    {
        using var temp = Tree();
        temp.Write("notes.pdf", "%PDF");
        var loader = new ArticleLoader(new LoaderOptions());

        var files = loader.EnumerateFiles([temp.Path]);
        var reported = (await Loading.AllAsync(temp.Path)).Select(r => r.File).Distinct().ToList();

        Assert.Equal(files.Select(f => f.FullPath), reported);
    }

    [Fact]
    public async Task A_file_reached_by_two_paths_is_read_once()
    {
        using var temp = Tree();

        var results = await Loading.AllAsync([temp.File("b.txt"), temp.Path]);

        Assert.Single(results, r => r.File == temp.File("b.txt"));
        Assert.Equal("b.txt", results[0].Article!.Id);
    }

    [Fact]
    public async Task A_link_back_up_the_tree_does_not_loop()
    {
        using var temp = Tree();
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "a", "b", "up"), temp.Path);

        var results = await Loading.AllAsync(temp.Path);

        Assert.Equal(5, results.Articles().Count);
    }

    [Fact]
    public async Task Loading_stops_when_cancelled()
    {
        using var temp = Tree();
        using var cancellation = new CancellationTokenSource();
        var loader = new ArticleLoader(new LoaderOptions());
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var result in loader.LoadAsync([temp.Path], cancellation.Token))
            {
                seen++;
                await cancellation.CancelAsync();
            }
        });
        Assert.Equal(1, seen);
    }

    [Fact]
    public void A_limit_that_is_not_positive_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ArticleLoader(new LoaderOptions { MaxFileBytes = 0 }));

        Assert.Contains("Ingest:MaxFileBytes", error.Message, StringComparison.Ordinal);
    }
}
