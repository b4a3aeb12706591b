namespace Dashboard.Web.Cli;

/// <summary>
/// Where a file named on the command line is. <c>dotnet run --project src/Dashboard.Web -- parse story.txt</c> starts the
/// program in the project's folder, not in the folder the command was typed in, so a relative path would be looked for
/// in the wrong place; the shell's <c>PWD</c>, which the program inherits, still names the folder it was typed in.
/// </summary>
public static class CommandPaths
{
    /// <summary>
    /// The path as given when it exists from the current folder (or is absolute), else the same path from the caller's
    /// folder (<c>PWD</c>) when it exists there, else the path as given, for the error to name.
    /// </summary>
    public static string Resolve(string path) => Resolve(path, Environment.GetEnvironmentVariable("PWD"));

    internal static string Resolve(string path, string? callerFolder)
    {
        if (Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path)
            || callerFolder is not { Length: > 0 } || !Path.IsPathRooted(callerFolder))
        {
            return path;
        }
        var fromCaller = Path.GetFullPath(path, callerFolder);
        return File.Exists(fromCaller) || Directory.Exists(fromCaller) ? fromCaller : path;
    }
}
