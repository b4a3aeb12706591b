using System.Globalization;
using System.Text.RegularExpressions;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// Reads the dates that news files carry: RFC 822/1123 (named zones, military letters, two-digit years,
/// day names, missing seconds) and ISO 8601 (with or without offset and seconds). The original offset is kept.
/// </summary>
public static partial class NewsDate
{
    /// <summary>The instant with the offset the file gave (UTC when it gave none); null when it is not a date.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var text = Spaces().Replace(value.Trim(), " ");
        var parsed = ParseRfc822(text) ?? ParseIso8601(text) ?? ParseIso8601(Extended(text)) ?? ParseLenient(text);
        // Placeholders such as 0001-01-01 or the Unix epoch's zero are not publication dates.
        return parsed is { } instant && instant.UtcDateTime > EpochDay && instant.Year <= 2200 ? parsed : null;
    }

    private static readonly DateTime EpochDay = new(1970, 1, 2, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The UTC calendar day of an instant: the day the store files the article under.</summary>
    public static DateOnly? UtcDay(DateTimeOffset? instant) =>
        instant is { } value ? DateOnly.FromDateTime(value.UtcDateTime) : null;

    private static DateTimeOffset? ParseRfc822(string text)
    {
        var match = Rfc822().Match(text);
        if (!match.Success || !TryMonth(match.Groups["month"].Value, out var month))
        {
            return null;
        }
        var year = FullYear(int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture), match.Groups["year"].Length);
        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        var hour = match.Groups["hour"].Success ? int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture) : 0;
        var minute = match.Groups["minute"].Success ? int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
        var second = match.Groups["second"].Success ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        var offset = match.Groups["zone"].Success ? ZoneOffset(match.Groups["zone"].Value) : TimeSpan.Zero;
        return offset is { } known ? Build(year, month, day, hour, minute, second, 0, known) : null;
    }

    private static DateTimeOffset? ParseIso8601(string text)
    {
        var match = Iso8601().Match(text);
        if (!match.Success)
        {
            return null;
        }
        int Group(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var fraction = match.Groups["fraction"].Success
            ? (int)Math.Round(double.Parse("0." + match.Groups["fraction"].Value, CultureInfo.InvariantCulture) * 1000)
            : 0;
        var offset = match.Groups["zone"].Success ? ZoneOffset(match.Groups["zone"].Value) : TimeSpan.Zero;
        var year = FullYear(Group("year"), match.Groups["year"].Length);
        return offset is { } known ? Build(year, Group("month"), Group("day"), Group("hour"), Group("minute"), Group("second"), Math.Min(fraction, 999), known) : null;
    }

    /// <summary>
    /// ISO 8601's basic format, without separators, as GDELT writes its dates ("20240601T101500Z"), in the extended
    /// format the grammar above reads; other text is given back as it is. The T is required: a bare number is not a date.
    /// </summary>
    private static string Extended(string text) =>
        Iso8601Basic().Match(text) is { Success: true } basic
            ? $"{basic.Groups["year"].Value}-{basic.Groups["month"].Value}-{basic.Groups["day"].Value}T{basic.Groups["hour"].Value}:{basic.Groups["minute"].Value}"
              + (basic.Groups["second"].Success ? ":" + basic.Groups["second"].Value : "") + basic.Groups["zone"].Value
            : text;

    private static DateTimeOffset? ParseLenient(string text)
    {
        // Last resort for shapes the two grammars above do not cover ("January 5, 2024 10:00 AM"); never the
        // machine's culture or zone, so the same file reads the same everywhere.
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value)
            ? value
            : null;
    }

    private static DateTimeOffset? Build(int year, int month, int day, int hour, int minute, int second, int millisecond, TimeSpan offset)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 24 || minute > 59 || second > 60 || Math.Abs(offset.TotalHours) > 14)
        {
            return null;
        }
        // 24:00 is the end of the day and a leap second is the last second of its minute.
        var extraDay = hour == 24;
        var local = new DateTime(year, month, day, extraDay ? 0 : hour, minute, Math.Min(second, 59), millisecond, DateTimeKind.Unspecified);
        return new DateTimeOffset(extraDay ? local.AddDays(1) : local, offset);
    }

    /// <summary>RFC 2822 §4.3: a two-digit year below 50 is in this century, otherwise the last.</summary>
    private static int FullYear(int year, int digits) => digits > 2 ? year : year < 50 ? 2000 + year : 1900 + year;

    private static bool TryMonth(string name, out int month)
    {
        var index = Array.FindIndex(Months, m => name.StartsWith(m, StringComparison.OrdinalIgnoreCase));
        month = index % 12 + 1;
        return index >= 0;
    }

    // English first; then the French, German and Spanish abbreviations real European feeds print (Le Monde, Spiegel).
    private static readonly string[] Months =
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc",
        "jän", "feb", "mär", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "dez",
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ];

    private static TimeSpan? ZoneOffset(string zone)
    {
        if (zone[0] is '+' or '-')
        {
            var digits = zone[1..].Replace(":", "");
            var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
            var minutes = digits.Length >= 4 ? int.Parse(digits[2..4], CultureInfo.InvariantCulture) : 0;
            var offset = new TimeSpan(hours, minutes, 0);
            return zone[0] == '-' ? -offset : offset;
        }
        var upper = zone.ToUpperInvariant();
        if (NamedZones.TryGetValue(upper, out var hoursFromUtc))
        {
            return TimeSpan.FromHours(hoursFromUtc);
        }
        if (upper.Length == 1 && upper[0] is >= 'A' and <= 'Y' and not 'J')
        {
            // Military zones in their real meaning (A = UTC+1 ... M = +12, N = UTC-1 ... Y = -12);
            // RFC 822 printed the signs reversed, as RFC 1123 §5.2.14 notes.
            var letter = upper[0];
            return TimeSpan.FromHours(letter <= 'I' ? letter - 'A' + 1 : letter <= 'M' ? letter - 'A' : -(letter - 'N' + 1));
        }
        return null;
    }

    private static readonly Dictionary<string, double> NamedZones = new(StringComparer.Ordinal)
    {
        ["Z"] = 0,
        ["UT"] = 0,
        ["UTC"] = 0,
        ["GMT"] = 0,
        ["WET"] = 0,
        ["EST"] = -5,
        ["EDT"] = -4,
        ["CST"] = -6,
        ["CDT"] = -5,
        ["MST"] = -7,
        ["MDT"] = -6,
        ["PST"] = -8,
        ["PDT"] = -7,
        ["AKST"] = -9,
        ["AKDT"] = -8,
        ["HST"] = -10,
        ["AST"] = -4,
        ["ADT"] = -3,
        ["NST"] = -3.5,
        ["NDT"] = -2.5,
        ["BST"] = 1,
        ["IST"] = 5.5,
        ["CET"] = 1,
        ["CEST"] = 2,
        ["MET"] = 1,
        ["MEST"] = 2,
        ["WEST"] = 1,
        ["EET"] = 2,
        ["EEST"] = 3,
        ["MSK"] = 3,
        ["JST"] = 9,
        ["KST"] = 9,
        ["HKT"] = 8,
        ["SGT"] = 8,
        ["AEST"] = 10,
        ["AEDT"] = 11,
        ["ACST"] = 9.5,
        ["AWST"] = 8,
        ["NZST"] = 12,
        ["NZDT"] = 13,
    };

    // [day name,] d month yy[yy] [hh:mm[:ss]] [zone]; "Thu, 01 Jan 2004 19:48:21 GMT", "1 Jan 04 9:05 EST".
    [GeneratedRegex(@"^(?:[A-Za-zäéû]{2,9}\.?,? ?)?(?<day>\d{1,2})[ \-](?<month>\p{L}{3,9})\.?[ \-](?<year>\d{4}|\d{2})(?: ?,? ?(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.\d+)?)?)? ?(?:\(?(?<zone>[+\-]\d{2}:?\d{2}|[A-Za-z]{1,5})\)?)?(?: ?\([^)]*\))?$")]
    private static partial Regex Rfc822();

    // yyyy-mm-dd[Thh:mm[:ss[.fff]]][zone]; also a space for the T, "+hh", "+hhmm" and "UTC" zones.
    [GeneratedRegex(@"^(?<year>\d{4})-(?<month>\d{1,2})-(?<day>\d{1,2})(?:[Tt ](?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:[.,](?<fraction>\d+))?)?)? ?(?<zone>[Zz]|[+\-]\d{2}(?::?\d{2})?|UTC|GMT)?$")]
    private static partial Regex Iso8601();

    // yyyymmddThhmm[ss][zone]: "20240601T101500Z".
    [GeneratedRegex(@"^(?<year>\d{4})(?<month>\d{2})(?<day>\d{2})[Tt](?<hour>\d{2})(?<minute>\d{2})(?<second>\d{2})?(?<zone>[Zz]|[+\-]\d{4})?$")]
    private static partial Regex Iso8601Basic();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
