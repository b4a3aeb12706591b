using System.Text.RegularExpressions;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// The author's name from a page's byline as Readability finds it: "By Lucy Akins", "Par Alexandre Hervaud et Jérémy
/// Piette", "Laura June Topolsky July 10, 2015", "By Alissa Wilkinson@alissamarie". The author goes into the article page
/// and the CSV and JSON Lines exports, where "By Lucy Akins" and "Lucy Akins" must be one author to whoever counts them.
/// </summary>
public static partial class Byline
{
    /// <summary>The name or names the byline gives, or null when it gives none ("作者：", "on Deadspin", "21.dez.2018 às 10h55").</summary>
    public static string? Clean(string? byline)
    {
        if (string.IsNullOrWhiteSpace(byline))
        {
            return null;
        }
        // The first line only: what follows is a handle, a date or a caption.
        var name = byline.Trim().Split('\n', 2)[0].Trim();
        name = Lead().Replace(name, "");
        name = Handle().Replace(name, "");
        name = PostedAt().Replace(name, "");
        name = TrailingDate().Replace(name, "").Trim();
        name = GluedDate().Replace(name, "");
        // "Daniel Kahn Gillmor, Senior Staff Technologist, ACLU Speech, Privacy, and Technology Project": the name, not the role.
        var comma = name.IndexOf(", ", StringComparison.Ordinal);
        if (comma > 0 && name[(comma + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 3)
        {
            name = name[..comma];
        }
        name = name.Trim(' ', ',', ';', '|', '-', '–', '—');
        // Several authors are listed one way whatever the page's language: "Alexandre Hervaud et Jérémy Piette" is
        // "Alexandre Hervaud, Jérémy Piette", as "Jane Doe and John Roe" is "Jane Doe, John Roe".
        name = Conjunction().Replace(name, ", ");
        // A label with nothing after it, a place ("on Deadspin", "in Paris") or a time is no name.
        if (name.Length == 0 || !char.IsLetter(name[0]) || name[^1] is ':' or '：' || NotAName().IsMatch(name))
        {
            return null;
        }
        return name;
    }

    // "By", "Par", "Von", "Por", "Door", "Written by", "Words by", with an optional colon. Not Italian "di", which opens
    // surnames too ("Di Stefano").
    [GeneratedRegex(@"^(?:written\s+by|words\s+by|by|par|von|por|door)\s*:?\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Lead();

    // A social-media handle written right after the name: "Alissa Wilkinson@alissamarie".
    [GeneratedRegex(@"\s*@\w+\s*$")]
    private static partial Regex Handle();

    // Where and when the name posted, and what follows: "史蒂文的家_藍天 發表在 痞客邦 PIXNET 留言(42)" (PIXNET's blogs), "posted in News".
    [GeneratedRegex(@"\s+(?:發表(?:在|於)|发表(?:在|于)|posted\s+(?:at|on|in))(?:\s.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PostedAt();

    // "July 10, 2015", "10 July 2015", "Jul. 10 2015" at the end.
    [GeneratedRegex(@"\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4})\s*$")]
    private static partial Regex TrailingDate();

    // A date a page's markup glued to the name, with whatever number follows it (a comment count): "Lucas Nolan22 Dec 2016651".
    [GeneratedRegex(@"(?<=\p{Ll})\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+\d{4}\d*\s*$")]
    private static partial Regex GluedDate();

    // "and", "et", "und", "y", "e", "&" between two names.
    [GeneratedRegex(@"\s+(?:and|et|und|y|e|&)\s+(?=\p{Lu})")]
    private static partial Regex Conjunction();

    [GeneratedRegex(@"^(?:on|in|at|from|posted|published|updated)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotAName();
}
