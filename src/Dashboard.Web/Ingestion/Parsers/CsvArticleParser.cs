using Sylvan.Data.Csv;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// Spreadsheets of articles saved as CSV or TSV (comma, semicolon or tab separated), as other tools export them
/// (a Media Cloud story list, a sheet of <c>Headline,Body,Date,Link,Publisher</c>): one article per row, columns
/// named as JSON fields are (see <see cref="ArticleFields"/>). Quoting, embedded line breaks, doubled quotes and
/// CRLF are read by Sylvan.Data.Csv.
/// </summary>
/// <remarks>
/// Rows are numbered as a spreadsheet shows them: the header is row 1 (lines before it, such as the comment lines
/// of this dashboard's own export, count too), and a cell holding line breaks is still one row.
/// </remarks>
public static partial class CsvArticleParser
{
    /// <summary>Where a CSV starts and how it is separated, as <see cref="Detect"/> found it.</summary>
    /// <param name="LinesBefore">Blank or <c>#</c> comment lines before the header.</param>
    /// <param name="Columns">The header's cells.</param>
    public sealed record Layout(char Delimiter, int LinesBefore, IReadOnlyList<string> Columns)
    {
        /// <summary>
        /// True when dates written with numbers alone put the day first (01/06/2024 is the 1st of June), as
        /// spreadsheets outside the United States write them; see <see cref="DayFirstDates"/>.
        /// </summary>
        public bool DayFirst { get; init; }

        /// <summary>True when a column can hold the article's text (Media Cloud story lists have none).</summary>
        public bool HasTextColumn => Columns.Any(c => ArticleFields.Text.Contains(ArticleFields.Normalise(c)));
    }

    /// <summary>
    /// One data row: its index among the data rows (0 is the row after the header), and its article or the reason it
    /// has none, or (when the reader collects them) the link to its page when it has no text but a link.
    /// </summary>
    public readonly record struct Row(int Index, ParsedArticle? Article, string? Problem, ParsedArticle? Page = null);

    /// <summary>The row's result from what <see cref="ArticleFields.FromRow"/> gave and left in <paramref name="skipped"/>.</summary>
    internal static Row Result(int index, ParsedArticle? article, SkippedItems skipped) =>
        article is not null ? new Row(index, article, null)
        : skipped.PagesToFetch is [var page, ..] ? new Row(index, null, null, page)
        : new Row(index, null, skipped[0]);

    private static readonly char[] Delimiters = [',', ';', '\t'];

    /// <summary>Comment lines (<c>#</c>) looked past before the header: this dashboard's own export writes two.</summary>
    private const int MaxLinesBefore = 10;

    /// <summary>A header line longer than this is not a header: plain text is turned away without splitting it.</summary>
    private const int MaxHeaderLength = 4096;

    /// <summary>How much of the file and how many data rows the delimiter is judged on.</summary>
    private const int SampleChars = 64 * 1024;
    private const int SampleRows = 4;

    /// <summary>
    /// A row must fit in the reader's buffer: a few cells of the longest line an article may have. A longer row (an
    /// unclosed quote swallowing the rest of the file) stops the reading there instead of filling memory.
    /// </summary>
    internal const int MaxRowChars = 4 * ArticleParser.MaxLineLength;

    /// <summary>
    /// The layout when the text is a CSV of articles, null otherwise. The first line that is neither blank nor a
    /// <c>#</c> comment must be a header: split by the delimiter that gives the most cells consistently over the
    /// first rows, at least two cells, one of them a title or text column and another a known article field (text,
    /// date, url, source...). Prose with commas has no such line, so it stays plain text.
    /// </summary>
    public static Layout? Detect(ReadOnlySpan<char> text)
    {
        var rest = text;
        for (var lineIndex = 0; lineIndex < MaxLinesBefore && !rest.IsEmpty; lineIndex++)
        {
            var end = rest.IndexOf('\n');
            var line = (end < 0 ? rest : rest[..end]).TrimEnd('\r');
            var bare = line.Trim(" \t\uFEFF");
            if (!bare.IsEmpty)
            {
                // A cheap look at the line first: every plain-text upload comes through here.
                if (line.Length <= MaxHeaderLength && LooksLikeHeader(line))
                {
                    return Confirmed(rest, lineIndex);
                }
                if (!bare.StartsWith('#'))
                {
                    return null;
                }
            }
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        return null;
    }

    /// <summary>
    /// The layout read by the library from the header line on: the delimiter giving the most cells over the header
    /// and the first rows (most rows agreeing with the header), then the header check on its cells as read with quotes.
    /// </summary>
    private static Layout? Confirmed(ReadOnlySpan<char> fromHeader, int linesBefore)
    {
        var sample = fromHeader.TrimStart('\uFEFF');
        if (sample.Length > SampleChars)
        {
            // Judged on whole lines: the last one of the sample may be cut.
            sample = sample[..SampleChars];
            var cut = sample.LastIndexOf('\n');
            sample = cut > 0 ? sample[..cut] : sample;
        }
        var sampleText = new string(sample);
        Layout? best = null;
        foreach (var delimiter in Delimiters)
        {
            var (columns, consistent) = Sample(sampleText, delimiter);
            if (consistent && columns.Count >= 2 && (best is null || columns.Count > best.Columns.Count))
            {
                best = new Layout(delimiter, linesBefore, columns);
            }
        }
        return best is not null && IsHeader(best.Columns) ? best with { DayFirst = DayFirstDates(sampleText, best) } : null;
    }

    /// <summary>Whether the file's numeric dates put the day first (see <see cref="DayFirst"/>), judged on the date column of the sample.</summary>
    private static bool DayFirstDates(string sample, Layout layout)
    {
        var column = ArticleFields.Date.Select(name => layout.Columns.Select(ArticleFields.Normalise).ToList().IndexOf(name)).FirstOrDefault(i => i >= 0, -1);
        if (column < 0)
        {
            return false;
        }
        var dates = new List<string>();
        try
        {
            using var reader = CsvDataReader.Create(new StringReader(sample), Options(layout.Delimiter));
            while (reader.Read())
            {
                if (column < reader.RowFieldCount)
                {
                    dates.Add(reader.GetString(column));
                }
            }
        }
        catch (CsvFormatException)
        {
            // Judged on the rows before a malformed one.
        }
        return DayFirst(dates, semicolonSeparated: layout.Delimiter == ';');
    }

    /// <summary>
    /// Whether a table's numeric dates put the day first, judged on all of them as a person would: a date whose
    /// first number is over 12 (13/06/2024) settles it for day first, one whose second number is (06/13/2024) for
    /// month first. Without such a date, a semicolon-separated file (what spreadsheets write where the comma is the
    /// decimal mark, which is where days come first) and dotted dates (01.06.2024) are read day first, others month
    /// first. Judging row by row would put the 1st of June and the 13th of June in different months. Shared with
    /// the dates an Excel workbook holds as text.
    /// </summary>
    internal static bool DayFirst(IEnumerable<string> dates, bool semicolonSeparated)
    {
        var dayFirst = 0;
        var monthFirst = 0;
        var dotted = 0;
        foreach (var value in dates)
        {
            if (NumericDate().Match(value) is { Success: true } date)
            {
                var (first, second) = (int.Parse(date.Groups["a"].Value), int.Parse(date.Groups["b"].Value));
                dayFirst += first > 12 && second <= 12 ? 1 : 0;
                monthFirst += second > 12 && first <= 12 ? 1 : 0;
                dotted += date.Groups["sep"].Value == "." ? 1 : 0;
            }
        }
        return dayFirst != monthFirst ? dayFirst > monthFirst : semicolonSeparated || dotted > 0;
    }

    /// <summary>"01/06/2024", "1.6.2024", "01-06-2024 10:00": a day and a month in an order only the file can tell, then a four-digit year.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(?<a>\d{1,2})(?<sep>[/.\-])(?<b>\d{1,2})\k<sep>(?<year>\d{4})(?<rest>(?:[ T].*)?)$")]
    private static partial System.Text.RegularExpressions.Regex NumericDate();

    /// <summary>The header's cells by <paramref name="delimiter"/>, and whether most of the first rows have as many.</summary>
    private static (IReadOnlyList<string> Columns, bool Consistent) Sample(string sample, char delimiter)
    {
        var rows = 0;
        var agreeing = 0;
        string[] columns;
        try
        {
            using var reader = CsvDataReader.Create(new StringReader(sample), Options(delimiter));
            columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            while (rows < SampleRows && reader.Read())
            {
                if (IsBlank(reader))
                {
                    continue;
                }
                rows++;
                agreeing += reader.RowFieldCount == columns.Length ? 1 : 0;
            }
        }
        catch (CsvFormatException)
        {
            // A malformed row in the sample: judged on the rows before it.
            return ([], false);
        }
        return (columns, agreeing * 2 >= rows);
    }

    /// <summary>True when the line split by one of the delimiters, without regard to quotes (headers are rarely quoted), passes <see cref="IsHeader"/>.</summary>
    private static bool LooksLikeHeader(ReadOnlySpan<char> line)
    {
        foreach (var delimiter in Delimiters)
        {
            var cells = new List<string>();
            foreach (var range in line.Split(delimiter))
            {
                cells.Add(line[range].Trim(" \t\uFEFF\"").ToString());
            }
            if (IsHeader(cells))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>At least two cells, a title or text column among them and at least one other article field (an Excel sheet's header row too).</summary>
    internal static bool IsHeader(IReadOnlyList<string> cells)
    {
        if (cells.Count < 2)
        {
            return false;
        }
        var names = cells.Select(c => ArticleFields.Normalise(c.Trim())).ToList();
        var main = names.Any(n => ArticleFields.Title.Contains(n) || ArticleFields.Text.Contains(n));
        return main && names.Count(ArticleFields.IsKnown) >= 2;
    }

    /// <summary>The articles of a CSV held in memory; throws when no row is an article (naming the first reasons).</summary>
    public static IReadOnlyList<ParsedArticle> Parse(string fileName, string text, Layout layout, List<string> skipped)
    {
        var reader = new StringReader(text);
        if (text.StartsWith('\uFEFF'))
        {
            // A byte order mark would be read as part of the first column's name (and hide its quotes).
            reader.Read();
        }
        return ArticleFields.FromRows(Rows(fileName, reader, layout, 0, SkippedItems.Collects(skipped)), skipped, (rows, reasons) =>
        {
            var columns = string.Join(", ", layout.Columns.Select(c => c.Trim('\uFEFF')));
            if (rows == 0)
            {
                return new ArticleParseException($"{fileName}: the CSV has a header ({columns}) but no rows");
            }
            var noText = layout.HasTextColumn ? "" : $" (its columns are {columns}: none holds the articles' text)";
            return new ArticleParseException($"{fileName}: none of the CSV rows is an article with text{noText}: {string.Join("; ", reasons.Take(3))}");
        });
    }

    /// <summary>
    /// The data rows of a CSV read from <paramref name="reader"/> (positioned at the start of the file), from the
    /// data row <paramref name="fromRow"/> on, each with its article or the reason it has none: a row with the wrong
    /// number of cells, a cell longer than <see cref="ArticleParser.MaxLineLength"/>, no text. Blank lines are passed
    /// over. A row too long for the reader's buffer ends the reading, with the reason as the last row.
    /// </summary>
    public static IEnumerable<Row> Rows(string fileName, TextReader reader, Layout layout, int fromRow = 0, bool pagesToFetch = false)
    {
        for (var i = 0; i < layout.LinesBefore; i++)
        {
            reader.ReadLine();
        }
        // Spreadsheet row of data row 0: the lines before the header, the header, then the row itself.
        var firstRow = layout.LinesBefore + 2;
        CsvDataReader? csv = null;
        string? stop = null;
        try
        {
            csv = CsvDataReader.Create(reader, Options(layout.Delimiter));
        }
        catch (CsvFormatException ex)
        {
            stop = Stopped(fileName, firstRow + Math.Max(ex.RowNumber - 1, 0), ex);
        }
        if (csv is null)
        {
            yield return new Row(0, null, stop);
            yield break;
        }
        using (csv)
        {
            var header = Enumerable.Range(0, csv.FieldCount).Select(i => ArticleFields.Normalise(csv.GetName(i))).ToArray();
            var columns = new ArticleFields.Columns(header);
            var skipped = new SkippedItems(pagesToFetch);
            for (var index = 0; ; index++)
            {
                bool more;
                try
                {
                    more = csv.Read();
                }
                catch (CsvFormatException ex)
                {
                    more = false;
                    stop = Stopped(fileName, firstRow + index, ex);
                }
                if (stop is not null)
                {
                    yield return new Row(index, null, stop);
                    yield break;
                }
                if (!more)
                {
                    yield break;
                }
                if (index < fromRow || IsBlank(csv))
                {
                    continue;
                }
                skipped.Reset();
                var article = Article(fileName, csv, firstRow + index, header.Length, columns, layout.DayFirst, skipped);
                yield return Result(index, article, skipped);
            }
        }
    }

    private static ParsedArticle? Article(string fileName, CsvDataReader csv, int row, int width, ArticleFields.Columns columns, bool dayFirst, List<string> skipped)
    {
        var cells = csv.RowFieldCount;
        // A trailing delimiter (an empty cell past the header's last column) is common in spreadsheet exports and harmless.
        var extraFilled = Enumerable.Range(width, Math.Max(cells - width, 0)).Any(i => csv.GetString(i).Trim().Length > 0);
        if (cells < width || extraFilled)
        {
            skipped.Add($"{fileName}: row {row} has {cells} cells where the header has {width}");
            return null;
        }
        var values = new string[width];
        for (var i = 0; i < width; i++)
        {
            values[i] = csv.GetString(i);
            if (values[i].Length > ArticleParser.MaxLineLength)
            {
                skipped.Add($"{fileName}: row {row}, column {i + 1} holds {values[i].Length:N0} characters (more than {ArticleParser.MaxLineLength:N0}): this is not article text");
                return null;
            }
        }
        string? Cell(int column) => column < 0 || string.IsNullOrWhiteSpace(values[column]) ? null : values[column].Trim();
        return ArticleFields.FromRow(fileName, $"row {row}", columns, Cell, DateOf(Cell(columns.Date), dayFirst), skipped);
    }

    /// <summary>
    /// A date as text (numbers alone in the file's order of day and month), or Unix time in seconds or milliseconds
    /// as a JSON number would give it (an Excel cell holding a date as text is read the same way).
    /// </summary>
    internal static DateTimeOffset? DateOf(string? cell, bool dayFirst)
    {
        if (cell is { Length: >= 9 and <= 13 } && cell.All(char.IsAsciiDigit) && long.TryParse(cell, out var epoch))
        {
            return ArticleFields.FromUnixTime(epoch);
        }
        if (cell is not null && NumericDate().Match(cell) is { Success: true } date)
        {
            var (day, month) = dayFirst ? (date.Groups["a"].Value, date.Groups["b"].Value) : (date.Groups["b"].Value, date.Groups["a"].Value);
            return NewsDate.Parse($"{date.Groups["year"].Value}-{month.PadLeft(2, '0')}-{day.PadLeft(2, '0')}{date.Groups["rest"].Value}");
        }
        return NewsDate.Parse(cell);
    }

    private static string Stopped(string fileName, int row, CsvFormatException error) => error is CsvRecordTooLargeException
        ? $"{fileName}: row {row} is longer than {MaxRowChars:N0} characters (an unclosed quote?); the rest of the file is not read"
        : $"{fileName}: row {row} cannot be read as CSV ({error.Message}); the rest of the file is not read";

    private static bool IsBlank(CsvDataReader reader) => reader.RowFieldCount <= 1 && string.IsNullOrWhiteSpace(reader.GetString(0));

    private static CsvDataReaderOptions Options(char delimiter) => new()
    {
        Delimiter = delimiter,
        HasHeaders = true,
        // '#' opens a comment by default, which would drop a row whose title is a hashtag.
        Comment = '\0',
        // A stray quote inside an unquoted cell ('He said "no" twice') is kept as text rather than failing the file.
        CsvStyle = CsvStyle.Lax,
        BufferSize = 1 << 16,
        MaxBufferSize = MaxRowChars,
    };
}
