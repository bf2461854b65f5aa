using System.Runtime.CompilerServices;

namespace NewsBot.Core.Ingestion;

/// <summary>
/// Reads articles from files and folders: plain text, Markdown, HTML, JSON, JSON Lines (also gzip-compressed), RSS and
/// Atom. Bad input never stops a run: each file or record that cannot be read becomes a <see cref="LoadSkip"/> saying
/// why, and the records around it still load.
/// </summary>
public sealed class ArticleLoader
{
    private readonly long maxFileBytes;

    public ArticleLoader(LoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxFileBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxFileBytes, "Ingest:MaxFileBytes must be a positive number of bytes.");
        maxFileBytes = options.MaxFileBytes;
    }

    /// <summary>
    /// Walks every path (a file, or a folder read recursively; within a folder in ordinal order of relative paths) and
    /// yields each article and each skip as it is found. Large JSON Lines files are streamed, never held whole.
    /// </summary>
    /// <param name="fileKeys">
    /// Full path to the relative path a file was first ingested under: a file met again, through another folder or by
    /// an absolute path, keeps the ids it was given then (one file, one article id).
    /// </param>
    public async IAsyncEnumerable<LoadResult> LoadAsync(
        IReadOnlyList<string> paths, [EnumeratorCancellation] CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? fileKeys = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var entry in SourceWalker.Walk(paths))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Problem is { } problem)
            {
                yield return new LoadResult(null, problem, problem.File);
                continue;
            }
            var file = entry.File!;
            if (fileKeys is not null && fileKeys.TryGetValue(file.FullPath, out var key))
                file = file with { RelativePath = key };
            await using var results = LoadFileAsync(file, cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                LoadResult result;
                var failed = false;
                try
                {
                    if (!await results.MoveNextAsync())
                        break;
                    result = results.Current;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A parser bug or an input we did not foresee: report the file, keep the run going.
                    result = LoadResult.Skipped(file.FullPath, null, e is IOException or UnauthorizedAccessException
                        ? "unreadable: " + e.Message
                        : $"could not be read ({e.GetType().Name}: {e.Message})");
                    failed = true;
                }
                yield return result;
                if (failed)
                    break;
            }
        }
    }

    /// <summary>
    /// The files <see cref="LoadAsync"/> will go through, in the same order, each with its root: every one of them
    /// gets at least one <see cref="LoadResult"/> (a file of an unknown format, a skip). For progress counts, and for
    /// pruning articles whose file is gone. Paths that do not exist and folders that cannot be listed are left out;
    /// <see cref="LoadAsync"/> reports them as skips.
    /// </summary>
    public IReadOnlyList<SourceFile> EnumerateFiles(IReadOnlyList<string> paths) =>
        [.. SourceWalker.Walk(paths).Select(static entry => entry.File).OfType<SourceFile>()];

    private async IAsyncEnumerable<LoadResult> LoadFileAsync(SourceFile file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var format = SourceFormats.FromFileName(file.FullPath);
        if (format == SourceFormat.Unknown)
        {
            yield return LoadResult.Skipped(file.FullPath, null, "unknown extension " + SourceFormats.DescribeExtension(file.FullPath));
            yield break;
        }
        if (format is SourceFormat.JsonLines or SourceFormat.JsonLinesGzip)
        {
            await foreach (var result in JsonLinesFile.ReadAsync(file, format == SourceFormat.JsonLinesGzip, maxFileBytes, cancellationToken))
                yield return result;
            yield break;
        }

        var (bytes, problem) = await ReadAllBytesAsync(file.FullPath, cancellationToken);
        if (bytes is null)
        {
            yield return LoadResult.Skipped(file.FullPath, null, problem!);
            yield break;
        }
        if (format == SourceFormat.Feed)
        {
            foreach (var result in FeedParser.Parse(bytes, file))
                yield return result;
            yield break;
        }
        if (!TextDecoder.TryDecode(bytes, out var text, out problem))
        {
            yield return LoadResult.Skipped(file.FullPath, null, problem);
            yield break;
        }
        switch (format)
        {
            case SourceFormat.PlainText:
                yield return PlainTextParser.Parse(text, file);
                break;
            case SourceFormat.Markdown:
                yield return MarkdownParser.Parse(text, file);
                break;
            case SourceFormat.Html:
                yield return HtmlArticleParser.Parse(text, file);
                break;
            case SourceFormat.Json:
                foreach (var result in JsonArticles.ParseFile(text, file))
                    yield return result;
                break;
        }
    }

    private async Task<(byte[]? Bytes, string? Problem)> ReadAllBytesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            if (stream.Length > maxFileBytes)
                return (null, SizeLimit.Describe(maxFileBytes));
            // Read no more than the limit allows even when the length lied (a file still growing, a device).
            var buffer = new MemoryStream((int)Math.Min(stream.Length, maxFileBytes));
            var chunk = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxFileBytes)
                    return (null, SizeLimit.Describe(maxFileBytes));
                buffer.Write(chunk, 0, read);
            }
            return (buffer.ToArray(), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, "unreadable: " + e.Message);
        }
    }
}
