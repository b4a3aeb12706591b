namespace Dashboard.Web.Evaluation;

/// <summary>Finds the shared data sets (../shared/data next to the repository) without configuration.</summary>
public static class SharedDataFolder
{
    /// <summary>The first <c>shared/data</c> folder in <paramref name="start"/> or a folder above it, or null.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
