using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Dashboard.Tests.Ingestion;

/// <summary>Word documents and Excel workbooks built in the tests with the Open XML SDK, as Office writes them.</summary>
public static class OfficeFiles
{
    /// <summary>Core properties of a package (docProps/core.xml); null leaves a property out.</summary>
    public sealed record Properties(string? Title = null, string? Creator = null, DateTime? Created = null, DateTime? Modified = null);

    /// <summary>A paragraph, in the style with id <paramref name="style"/> when one is given ("Heading1", "Title").</summary>
    public static W.Paragraph Paragraph(string text, string? style = null)
    {
        var paragraph = new W.Paragraph(new W.Run(new W.Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        if (style is not null)
        {
            paragraph.PrependChild(new W.ParagraphProperties(new W.ParagraphStyleId { Val = style }));
        }
        return paragraph;
    }

    /// <summary>A table of one paragraph per cell.</summary>
    public static W.Table Table(params string[][] rows) =>
        new(rows.Select(cells => new W.TableRow(cells.Select(text => new W.TableCell(Paragraph(text))))));

    /// <summary>
    /// A Word document of the given body blocks, with a styles part (Word's "Title" and "heading 1", the latter under the
    /// id a German Word gives it, "berschrift1"), a page header and a comment whose text is not the article's.
    /// </summary>
    public static byte[] Docx(Properties? properties, params OpenXmlElement[] blocks)
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new W.Document(new W.Body(blocks));
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new W.Styles(
                new W.Style(new W.StyleName { Val = "Normal" }) { Type = W.StyleValues.Paragraph, StyleId = "Normal", Default = true },
                new W.Style(new W.StyleName { Val = "Title" }) { Type = W.StyleValues.Paragraph, StyleId = "Title" },
                new W.Style(new W.StyleName { Val = "heading 1" }) { Type = W.StyleValues.Paragraph, StyleId = "berschrift1" });
            var header = main.AddNewPart<HeaderPart>();
            header.Header = new W.Header(Paragraph("CONFIDENTIAL page header"));
            main.Document.Body!.AppendChild(new W.SectionProperties(new W.HeaderReference { Type = W.HeaderFooterValues.Default, Id = main.GetIdOfPart(header) }));
            var comments = main.AddNewPart<WordprocessingCommentsPart>();
            comments.Comments = new W.Comments(new W.Comment(Paragraph("Editor's remark: check the figures")) { Id = "0", Author = "Ed" });
            SetProperties(document, properties);
        }
        return buffer.ToArray();
    }

    /// <summary>Date format ids in the workbooks built here: cell format 1 is Excel's built-in short date, 2 a custom date and time.</summary>
    public const uint ShortDate = 1;
    public const uint DateTimeFormat = 2;

    /// <summary>
    /// An Excel workbook of the given sheets. A string cell goes to the shared text table (as Excel writes text), a
    /// number is a number, a <see cref="DateTime"/> is Excel's serial day number under a date format (built-in short
    /// date, or a custom "dd/mm/yyyy hh:mm" when it has a time), null is an empty cell.
    /// </summary>
    public static byte[] Xlsx(Properties? properties, params (string Name, object?[][] Rows)[] sheets)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var stylesPart = workbook.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy hh:mm" }) { Count = 1 },
                new Fonts(new Font()) { Count = 1 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None })) { Count = 1 },
                new Borders(new Border()) { Count = 1 },
                new CellStyleFormats(new CellFormat { NumberFormatId = 14 }) { Count = 1 },
                new CellFormats(
                    new CellFormat { NumberFormatId = 0 },
                    new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
                    new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }) { Count = 3 });
            var shared = new List<string>();
            var sharedIndex = new Dictionary<string, int>();
            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var worksheet = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        var reference = $"{(char)('A' + c)}{r + 1}";
                        switch (rows[r][c])
                        {
                            case null:
                                break;
                            case string text:
                                if (!sharedIndex.TryGetValue(text, out var index))
                                {
                                    sharedIndex[text] = index = shared.Count;
                                    shared.Add(text);
                                }
                                row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index) });
                                break;
                            case DateTime date:
                                row.Append(new Cell
                                {
                                    CellReference = reference,
                                    StyleIndex = date.TimeOfDay == TimeSpan.Zero ? ShortDate : DateTimeFormat,
                                    CellValue = new CellValue(date.ToOADate()),
                                });
                                break;
                            case double number:
                                row.Append(new Cell { CellReference = reference, CellValue = new CellValue(number) });
                                break;
                            case var other:
                                throw new ArgumentException($"no cell for {other.GetType().Name}");
                        }
                    }
                    data.Append(row);
                }
                worksheet.Worksheet = new Worksheet(data);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(worksheet), SheetId = sheetId++, Name = name });
            }
            var table = workbook.AddNewPart<SharedStringTablePart>();
            table.SharedStringTable = new SharedStringTable(shared.Select(s => new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve })))
            {
                Count = (uint)shared.Count,
                UniqueCount = (uint)shared.Count,
            };
            SetProperties(document, properties);
        }
        return buffer.ToArray();
    }

    /// <summary>The package with the entry <paramref name="entry"/> written anew by <paramref name="write"/> (a broken or hostile part).</summary>
    public static byte[] WithEntry(byte[] package, string entry, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        buffer.Write(package);
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(entry)?.Delete();
            using var stream = archive.CreateEntry(entry, CompressionLevel.Optimal).Open();
            write(stream);
        }
        return buffer.ToArray();
    }

    private static void SetProperties(OpenXmlPackage package, Properties? properties)
    {
        if (properties is null)
        {
            return;
        }
        var core = package.PackageProperties;
        core.Title = properties.Title;
        core.Creator = properties.Creator;
        core.Created = properties.Created;
        core.Modified = properties.Modified;
    }
}
