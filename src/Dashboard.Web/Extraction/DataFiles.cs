using System.Reflection;

namespace Dashboard.Web.Extraction;

/// <summary>Reads the gazetteer and rule files embedded from Extraction/Data, skipping comments.</summary>
internal static class DataFiles
{
    public static Stream Open(string name)
    {
        var resource = $"Dashboard.Web.Extraction.Data.{name}";
        return typeof(DataFiles).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded data file {resource} is missing from {Assembly.GetExecutingAssembly().GetName().Name}.");
    }

    /// <summary>Non-empty, non-comment lines split on tabs.</summary>
    public static IEnumerable<string[]> ReadTsv(string name)
    {
        using var reader = new StreamReader(Open(name));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            yield return line.Split('\t');
        }
    }
}
