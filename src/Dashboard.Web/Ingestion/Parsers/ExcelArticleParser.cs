using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// An Excel workbook (.xlsx) of articles: one article per row of every worksheet that has a header row naming
/// article columns (a workbook may keep a sheet per month or per outlet), with the same rules as a CSV export (<see cref="CsvArticleParser"/>, <see cref="ArticleFields"/>):
/// the same column names, the same header test, rows without text left out with their reason. Dates Excel stores
/// as serial numbers under a date format are converted as Excel shows them; dates written as text are read as a
/// CSV's are, in the order of day and month the sheet's dates show.
/// </summary>
/// <remarks>
/// Worksheets are read row by row with the SDK's streaming reader, never as a whole tree, so a sheet of a million
/// rows takes the memory of one row; the workbook's shared text table (where Excel keeps the text of its cells)
/// is held in memory, and is bounded by <see cref="OfficeDocuments.Check"/>. Rows are numbered as Excel shows them.
/// </remarks>
public static class ExcelArticleParser
{
    /// <summary>Rows with something in them looked at for the header: a sheet may open with a title or a note above it.</summary>
    private const int MaxRowsBeforeHeader = 10;

    /// <summary>Data rows whose text dates decide between day first and month first.</summary>
    private const int DateSampleRows = 1000;

    /// <summary>Excel's last column (XFD); a cell further right is not Excel's.</summary>
    private const int MaxColumns = 16_384;

    /// <summary>Cell formats looked at; Excel itself allows 64,000.</summary>
    private const int MaxCellFormats = 65_536;

    /// <summary>
    /// A row's index counts the sheets before it in steps of this (more than Excel's 1,048,576 rows), so one number
    /// says where a restart resumes in any sheet: sheet 2's first data row is 2,097,152.
    /// </summary>
    private const int SheetStride = 1 << 21;

    /// <summary>Sheets of articles read from one workbook at most (the row index must stay an int).</summary>
    private const int MaxArticleSheets = 1000;

    /// <summary>The articles of a workbook held in memory; throws when no row is an article (naming the first reasons).</summary>
    public static IReadOnlyList<ParsedArticle> Parse(string fileName, Stream package, OpenSettings settings, List<string> skipped)
    {
        using var document = SpreadsheetDocument.Open(package, false, settings);
        var workbook = WorkbookCells.Read(fileName, document);
        var tables = FindTables(fileName, document, workbook);
        var collect = SkippedItems.Collects(skipped);
        return ArticleFields.FromRows(tables.SelectMany((table, sheet) => Rows(fileName, table, workbook, 0, sheet, collect)), skipped, (rows, reasons) =>
        {
            var table = tables[0];
            var columns = string.Join(", ", table.Header.Where(c => c.Length > 0));
            var sheets = tables.Count == 1 ? $"sheet {table.Name}" : $"sheets {string.Join(", ", tables.Select(t => t.Name))}";
            if (rows == 0)
            {
                return new ArticleParseException(tables.Count == 1
                    ? $"{fileName}: sheet {table.Name} has a header row ({columns}) but no rows under it"
                    : $"{fileName}: {sheets} have header rows but no rows under them");
            }
            var noText = tables.Any(t => t.Columns.Texts.Any(i => i >= 0)) ? ""
                : tables.Count == 1 ? $" (its columns are {columns}: none holds the articles' text)" : " (none of their columns holds the articles' text)";
            return new ArticleParseException($"{fileName}: none of the rows of {sheets} is an article with text{noText}: {string.Join("; ", reasons.Take(3))}");
        });
    }

    /// <summary>
    /// The data rows of a workbook read from <paramref name="package"/> (a seekable stream, the caller's), sheet after
    /// sheet, from the row index <paramref name="fromRow"/> on (0 is the row under the first sheet's header; see
    /// <see cref="SheetStride"/>), each with its article or the reason it has none; for reading a large upload row by
    /// row and resuming it at a row.
    /// </summary>
    public static IEnumerable<CsvArticleParser.Row> Rows(string fileName, Stream package, OpenSettings settings, int fromRow, bool pagesToFetch = false)
    {
        using var document = SpreadsheetDocument.Open(package, false, settings);
        var workbook = WorkbookCells.Read(fileName, document);
        var tables = FindTables(fileName, document, workbook);
        for (var sheet = fromRow / SheetStride; sheet < tables.Count; sheet++)
        {
            foreach (var row in Rows(fileName, tables[sheet], workbook, fromRow, sheet, pagesToFetch))
            {
                yield return row;
            }
        }
    }

    /// <summary>The sheet of articles: its name and part, the spreadsheet row of its header, the header's cells and what they hold.</summary>
    private sealed record ArticleTable(string Name, WorksheetPart Part, int HeaderRow, string[] Header, ArticleFields.Columns Columns, bool DayFirst);

    /// <summary>A cell's value as Excel shows it, and its date when it holds one.</summary>
    private readonly record struct Value(string Text, DateTimeOffset? Date);

    /// <summary>One row of a sheet: its number as Excel shows it, its cells with something in them by column (0 is A).</summary>
    private sealed record SheetRow(int Number, Dictionary<int, Value> Cells, bool TooLong);

    /// <summary>
    /// The worksheets, in the workbook's order, with a header row among their first rows that
    /// <see cref="CsvArticleParser.IsHeader"/> takes for a CSV's; throws naming the sheets when there is none.
    /// </summary>
    private static List<ArticleTable> FindTables(string fileName, SpreadsheetDocument document, WorkbookCells workbook)
    {
        var workbookPart = document.WorkbookPart!;
        var names = new List<string>();
        var tables = new List<ArticleTable>();
        foreach (var sheet in workbookPart.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            var name = sheet.Name?.Value ?? $"{names.Count + 1}";
            names.Add(name);
            if (Worksheet(workbookPart, sheet) is not { } part)
            {
                // A chart sheet, or a sheet the package does not hold.
                continue;
            }
            string[]? header = null;
            var headerRow = 0;
            ArticleFields.Columns? columns = null;
            var rowsSeen = 0;
            var dates = new List<string>();
            foreach (var row in SheetRows(part, workbook))
            {
                if (header is null)
                {
                    if (row.Cells.Count == 0)
                    {
                        continue;
                    }
                    var cells = new string[row.Cells.Keys.Max() + 1];
                    for (var i = 0; i < cells.Length; i++)
                    {
                        cells[i] = row.Cells.TryGetValue(i, out var value) ? value.Text.Trim() : "";
                    }
                    if (CsvArticleParser.IsHeader(cells.Where(c => c.Length > 0).ToList()))
                    {
                        header = cells;
                        headerRow = row.Number;
                        columns = new ArticleFields.Columns(cells.Select(ArticleFields.Normalise).ToArray());
                        if (columns.Date < 0)
                        {
                            break;
                        }
                    }
                    else if (++rowsSeen >= MaxRowsBeforeHeader)
                    {
                        break;
                    }
                    continue;
                }
                // Text dates under the header, to tell 01/06/2024 the 1st of June from the 6th of January as CSV does.
                if (row.Cells.TryGetValue(columns!.Date, out var date) && date.Date is null)
                {
                    dates.Add(date.Text);
                }
                if (dates.Count >= DateSampleRows || row.Number - headerRow >= DateSampleRows)
                {
                    break;
                }
            }
            if (header is not null && tables.Count < MaxArticleSheets)
            {
                tables.Add(new ArticleTable(name, part, headerRow, header, columns!, CsvArticleParser.DayFirst(dates, semicolonSeparated: false)));
            }
        }
        if (tables.Count > 0)
        {
            return tables;
        }
        throw new ArticleParseException(names.Count == 0
            ? $"{fileName}: the Excel workbook has no sheets"
            : $"{fileName}: no sheet of the Excel workbook has a header row naming article columns (a title or text column and another such as date, url or source, in its first {MaxRowsBeforeHeader} rows); its sheets: {string.Join(", ", names)}");
    }

    private static WorksheetPart? Worksheet(WorkbookPart workbookPart, Sheet sheet)
    {
        if (sheet.Id?.Value is not { } id)
        {
            return null;
        }
        try
        {
            return workbookPart.GetPartById(id) as WorksheetPart;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <param name="sheet">The table's place among the workbook's tables of articles: its rows' indexes start at <c>sheet * SheetStride</c>.</param>
    private static IEnumerable<CsvArticleParser.Row> Rows(string fileName, ArticleTable table, WorkbookCells workbook, int fromRow, int sheet, bool pagesToFetch)
    {
        var width = table.Header.Length;
        var skipped = new SkippedItems(pagesToFetch);
        foreach (var row in SheetRows(table.Part, workbook))
        {
            if (row.Number <= table.HeaderRow)
            {
                continue;
            }
            // Indexed by the row's place under the header, not by article: a bad row does not shift where a restart resumes.
            var index = sheet * SheetStride + row.Number - table.HeaderRow - 1;
            if (index < fromRow)
            {
                continue;
            }
            var where = $"sheet {table.Name}, row {row.Number}";
            if (row.TooLong)
            {
                yield return new CsvArticleParser.Row(index, null, $"{fileName}: {where} holds more than {CsvArticleParser.MaxRowChars:N0} characters: this is not article text");
                continue;
            }
            string? Cell(int column) =>
                column >= 0 && column < width && row.Cells.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value.Text) ? value.Text.Trim() : null;
            if (!Enumerable.Range(0, width).Any(column => Cell(column) is not null))
            {
                continue;
            }
            var tooLong = row.Cells.FirstOrDefault(cell => cell.Key < width && cell.Value.Text.Length > ArticleParser.MaxLineLength);
            if (tooLong.Value.Text is not null)
            {
                yield return new CsvArticleParser.Row(index, null, $"{fileName}: {where}, column {tooLong.Key + 1} holds {tooLong.Value.Text.Length:N0} characters (more than {ArticleParser.MaxLineLength:N0}): this is not article text");
                continue;
            }
            var published = table.Columns.Date >= 0 && row.Cells.TryGetValue(table.Columns.Date, out var date)
                ? date.Date ?? CsvArticleParser.DateOf(Cell(table.Columns.Date), table.DayFirst)
                : null;
            skipped.Reset();
            var article = ArticleFields.FromRow(fileName, where, table.Columns, Cell, published, skipped);
            yield return CsvArticleParser.Result(index, article, skipped);
        }
    }

    /// <summary>
    /// The rows of a worksheet, streamed: each cell's attributes, value and inline text are taken as the reader
    /// passes them, so nothing but the current row is kept. A row over <see cref="CsvArticleParser.MaxRowChars"/>
    /// keeps no more text and is marked too long.
    /// </summary>
    private static IEnumerable<SheetRow> SheetRows(WorksheetPart part, WorkbookCells workbook)
    {
        using var reader = OpenXmlReader.Create(part);
        var number = 0;
        Dictionary<int, Value>? cells = null;
        var rowChars = 0L;
        var column = -1;
        string? type = null;
        var style = 0;
        string? raw = null;
        var inline = new StringBuilder();
        var phonetic = 0;
        while (reader.Read())
        {
            var element = reader.ElementType;
            if (element == typeof(Row))
            {
                if (reader.IsStartElement)
                {
                    number = int.TryParse(Attribute(reader, "r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > number ? r : number + 1;
                    cells = [];
                    rowChars = 0;
                    column = -1;
                }
                else if (cells is not null)
                {
                    yield return new SheetRow(number, cells, rowChars > CsvArticleParser.MaxRowChars);
                    cells = null;
                }
            }
            else if (cells is null)
            {
                continue;
            }
            else if (element == typeof(Cell))
            {
                if (reader.IsStartElement)
                {
                    column = ColumnOf(Attribute(reader, "r")) ?? column + 1;
                    type = Attribute(reader, "t");
                    style = int.TryParse(Attribute(reader, "s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                    raw = null;
                    inline.Clear();
                }
                else if (column < MaxColumns)
                {
                    var value = workbook.ValueOf(type, style, raw, inline);
                    rowChars += value.Text.Length;
                    if ((value.Text.Length > 0 || value.Date is not null) && rowChars <= CsvArticleParser.MaxRowChars)
                    {
                        cells[column] = value;
                    }
                }
            }
            else if (element == typeof(CellValue) && reader.IsStartElement)
            {
                raw = reader.GetText();
            }
            else if (element == typeof(PhoneticRun))
            {
                // Furigana (reading aids over Japanese text) are not part of the cell's text.
                phonetic += reader.IsStartElement ? 1 : -1;
            }
            else if (element == typeof(Text) && reader.IsStartElement && phonetic == 0)
            {
                inline.Append(reader.GetText());
            }
        }
    }

    private static string? Attribute(OpenXmlReader reader, string name)
    {
        foreach (var attribute in reader.Attributes)
        {
            if (attribute.LocalName == name && string.IsNullOrEmpty(attribute.NamespaceUri))
            {
                return attribute.Value;
            }
        }
        return null;
    }

    /// <summary>The column of a cell reference ("BC12" is 54), null when there is none.</summary>
    private static int? ColumnOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }
        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c) || letters == 3)
            {
                break;
            }
            column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
            letters++;
        }
        return letters == 0 ? null : column - 1;
    }

    /// <summary>
    /// What turns a cell's stored value into what Excel shows: the shared text table, which cell formats are dates,
    /// and whether the workbook counts its days from 1904 (old Mac workbooks) rather than 1900.
    /// </summary>
    private sealed class WorkbookCells(List<string> shared, List<bool> dateFormats, bool date1904)
    {
        public static WorkbookCells Read(string fileName, SpreadsheetDocument document)
        {
            var workbookPart = document.WorkbookPart
                ?? throw new ArticleParseException($"{fileName}: the Excel workbook has no workbook part (its xl/workbook.xml is not declared as the workbook)");
            var date1904 = workbookPart.Workbook?.WorkbookProperties?.Date1904?.Value ?? false;
            return new WorkbookCells(SharedText(workbookPart.SharedStringTablePart), DateFormats(workbookPart.WorkbookStylesPart), date1904);
        }

        public Value ValueOf(string? type, int style, string? raw, StringBuilder inline)
        {
            switch (type)
            {
                case "s":
                    return new Value(int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < shared.Count ? shared[index] : "", null);
                case "inlineStr":
                    return new Value(inline.ToString(), null);
                case "str":
                    return new Value(raw ?? "", null);
                case "b":
                    return new Value(raw is null ? "" : raw == "1" ? "TRUE" : "FALSE", null);
                case "e":
                    // An error value (#N/A, #REF!) says a formula failed; it is not the row's content.
                    return new Value("", null);
                case "d":
                    return new Value(raw ?? "", NewsDate.Parse(raw));
            }
            if (raw is null)
            {
                return new Value("", null);
            }
            if (style < dateFormats.Count && dateFormats[style]
                && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && DateOf(serial) is { } date)
            {
                return new Value(date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), date);
            }
            return new Value(raw, null);
        }

        /// <summary>
        /// A serial day number as the instant Excel shows, with no zone (as a CSV date without one, read as UTC);
        /// null for a time of day alone (under 1) or a number past Excel's last day.
        /// </summary>
        private DateTimeOffset? DateOf(double serial)
        {
            // 1904-based workbooks count from the 1st of January 1904: 1,462 days after the 1900 system's day 0.
            var days = date1904 ? serial + 1462 : serial;
            if (days < 1 || days > 2_958_465)
            {
                return null;
            }
            // Excel's own day 0 is the 30th of December 1899, as OLE's, which also absorbs Excel's phantom 29th of February 1900.
            var time = DateTime.FromOADate(days);
            var seconds = new DateTime((time.Ticks + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            return new DateTimeOffset(seconds);
        }

        /// <summary>The shared text table, streamed: each item's text runs joined, reading aids left out.</summary>
        private static List<string> SharedText(SharedStringTablePart? part)
        {
            var items = new List<string>();
            if (part is null)
            {
                return items;
            }
            using var reader = OpenXmlReader.Create(part);
            var text = new StringBuilder();
            var phonetic = 0;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(SharedStringItem))
                {
                    if (reader.IsStartElement)
                    {
                        text.Clear();
                    }
                    else
                    {
                        items.Add(text.ToString());
                    }
                }
                else if (reader.ElementType == typeof(PhoneticRun))
                {
                    phonetic += reader.IsStartElement ? 1 : -1;
                }
                else if (reader.ElementType == typeof(Text) && reader.IsStartElement && phonetic == 0)
                {
                    text.Append(reader.GetText());
                }
            }
            return items;
        }

        /// <summary>For each cell format (the <c>s</c> of a cell), whether its number format shows a date.</summary>
        private static List<bool> DateFormats(WorkbookStylesPart? part)
        {
            var formats = new List<bool>();
            if (part is null)
            {
                return formats;
            }
            var custom = new Dictionary<uint, bool>();
            using var reader = OpenXmlReader.Create(part);
            var inCellFormats = false;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(NumberingFormat) && reader.IsStartElement
                    && uint.TryParse(Attribute(reader, "numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    custom[id] = IsDateFormat(Attribute(reader, "formatCode"));
                }
                else if (reader.ElementType == typeof(CellFormats))
                {
                    inCellFormats = reader.IsStartElement;
                }
                else if (reader.ElementType == typeof(CellFormat) && reader.IsStartElement && inCellFormats && formats.Count < MaxCellFormats)
                {
                    var numberFormat = uint.TryParse(Attribute(reader, "numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                    formats.Add(custom.TryGetValue(numberFormat, out var isDate) ? isDate : IsBuiltInDate(numberFormat));
                }
            }
            return formats;
        }

        /// <summary>Excel's built-in number formats that show a date (with or without a time): 14-17 and 22, and the East Asian ones.</summary>
        private static bool IsBuiltInDate(uint id) => id is (>= 14 and <= 17) or 22 or (>= 27 and <= 36) or (>= 50 and <= 58);

        /// <summary>
        /// A format code that shows a day or a year ("dd/mm/yyyy", "mmm d, yyyy h:mm"), once its literal text ("..."
        /// and \x) and its brackets ([Red], [$-409], [h]) are set aside; "mm:ss" and "0.00" are not dates.
        /// </summary>
        private static bool IsDateFormat(string? code)
        {
            if (string.IsNullOrEmpty(code))
            {
                return false;
            }
            var quoted = false;
            var bracket = false;
            for (var i = 0; i < code.Length; i++)
            {
                var c = code[i];
                if (quoted)
                {
                    quoted = c != '"';
                }
                else if (bracket)
                {
                    bracket = c != ']';
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == '[')
                {
                    bracket = true;
                }
                else if (c == '\\')
                {
                    i++;
                }
                else if (c is 'y' or 'Y' or 'd' or 'D')
                {
                    return true;
                }
            }
            return false;
        }
    }
}
