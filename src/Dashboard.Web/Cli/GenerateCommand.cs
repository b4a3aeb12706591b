using System.Globalization;
using Dashboard.Web.Generation;

namespace Dashboard.Web.Cli;

/// <summary><c>generate --count N --seed S</c>: a synthetic corpus as JSON Lines on standard output.</summary>
public static class GenerateCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var count = 1000;
        var seed = 1;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--count" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c >= 0:
                    count = c;
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    i++;
                    break;
                default:
                    error.WriteLine($"generate: unknown or invalid argument '{args[i]}'{(value is null ? "" : $" '{value}'")}; usage: generate --count N --seed S");
                    return 2;
            }
        }
        new CorpusGenerator().WriteJsonLines(output, count, seed);
        output.Flush();
        return 0;
    }
}
