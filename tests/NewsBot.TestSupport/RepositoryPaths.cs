namespace NewsBot.TestSupport;

/// <summary>Finds the repository root and the <c>shared/</c> folder beside it (CI clones the repo with shared/ next to it).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder that holds NewsBot.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The shared data folder: <c>$NEWSBOT_SHARED</c>, else <c>../shared</c> beside the repository.</summary>
    public static string Shared => Environment.GetEnvironmentVariable("NEWSBOT_SHARED") is { Length: > 0 } path
        ? path
        : Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Samples => Path.Combine(Root, "samples", "news");

    public static string Prompts => Path.Combine(Root, "prompts");

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NewsBot.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("NewsBot.sln not found above " + AppContext.BaseDirectory);
    }
}
