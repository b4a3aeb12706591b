using System.Globalization;
using Dashboard.Web.Evaluation;
using Dashboard.Web.Extraction;

namespace Dashboard.Web.Cli;

/// <summary>The `evaluate` subcommand: measures extraction on the shared labelled data sets and prints one table.</summary>
public static class EvaluateCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? data = null;
        int? limit = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shared" when i + 1 < args.Length:
                    var shared = CommandPaths.Resolve(args[++i]);
                    // Either the shared folder itself or its data folder.
                    data = Directory.Exists(Path.Combine(shared, "data")) ? Path.Combine(shared, "data") : shared;
                    break;
                case "--limit" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    limit = n;
                    i++;
                    break;
                default:
                    error.WriteLine($"evaluate: unexpected argument {args[i]}");
                    error.WriteLine("usage: evaluate [--shared PATH] [--limit N]");
                    return 2;
            }
        }
        data ??= SharedDataFolder.Find(Directory.GetCurrentDirectory());
        if (data is null || !Directory.Exists(Path.Combine(data, "conll2003")))
        {
            error.WriteLine($"evaluate: no shared data sets found ({data ?? "no shared/data above " + Directory.GetCurrentDirectory()}); pass --shared PATH");
            return 2;
        }
        var measures = EvaluationRun.Measure(new ArticleExtractor(), data, limit);
        output.Write(EvaluationRun.Format(measures));
        return 0;
    }
}
