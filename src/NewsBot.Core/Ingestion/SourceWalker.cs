using System.Security;

namespace NewsBot.Core.Ingestion;

/// <summary>A file found under the paths given to ingest, or a path that could not be walked.</summary>
internal readonly record struct WalkEntry(SourceFile? File, LoadSkip? Problem);

/// <summary>
/// Turns the paths given to ingest into files, in a stable order: the paths as given, and within a folder the ordinal
/// sort of relative paths. Hidden files and folders (name starting with '.') are left out; a file reached twice (two
/// overlapping paths, or a symbolic link to a folder already walked) is read once.
/// </summary>
internal static class SourceWalker
{
    public static IEnumerable<WalkEntry> Walk(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seenFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = TryGetFullPath(path);
            if (full is null)
            {
                yield return Problem(path, "invalid path");
            }
            else if (File.Exists(full))
            {
                if (seenFiles.Add(full))
                    yield return new WalkEntry(new SourceFile(full, Path.GetFileName(full), Path.GetDirectoryName(full) ?? full), null);
            }
            else if (Directory.Exists(full))
            {
                foreach (var entry in WalkFolder(Path.TrimEndingDirectorySeparator(full)))
                {
                    if (entry.File is null || seenFiles.Add(entry.File.FullPath))
                        yield return entry;
                }
            }
            else
            {
                yield return Problem(full, "not found");
            }
        }
    }

    private static List<WalkEntry> WalkFolder(string root)
    {
        var found = new List<(string RelativePath, WalkEntry Entry)>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { root };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.TryPop(out var folder))
        {
            FileSystemInfo[] children;
            try
            {
                children = new DirectoryInfo(folder).GetFileSystemInfos();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException)
            {
                found.Add((RelativeTo(root, folder), Problem(folder, "unreadable: " + e.Message)));
                continue;
            }
            // Sorted so that which of two links to the same folder wins does not depend on the file system's order.
            Array.Sort(children, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var child in children)
            {
                if (child.Name.StartsWith('.'))
                    continue;
                if (child is DirectoryInfo directory)
                {
                    // Following a link only once per target keeps a link back up the tree from looping forever.
                    var target = directory.LinkTarget is null ? directory.FullName : directory.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                    if (target is not null && visited.Add(target))
                        pending.Push(directory.FullName);
                }
                else
                {
                    found.Add((RelativeTo(root, child.FullName), new WalkEntry(new SourceFile(child.FullName, RelativeTo(root, child.FullName), root), null)));
                }
            }
        }
        found.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return found.ConvertAll(static f => f.Entry);
    }

    private static string RelativeTo(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static string? TryGetFullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return null;
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or SecurityException)
        {
            return null;
        }
    }

    private static WalkEntry Problem(string path, string reason) => new(null, new LoadSkip(path, null, reason));
}
