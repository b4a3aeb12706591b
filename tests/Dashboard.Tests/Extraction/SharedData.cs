namespace Dashboard.Tests.Extraction;

/// <summary>Finds ../shared (seeds and data sets) by walking up from the test binaries to the folder holding Dashboard.sln.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
        }
        throw new DirectoryNotFoundException("No Dashboard.sln above " + AppContext.BaseDirectory);
    });

    public static string Path_(params string[] parts) => Path.Combine([Root.Value, .. parts]);

    public static string SeedText => File.ReadAllText(Path_("seeds", "000_c5daea6af1ae3222.txt"));
}
