using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using Okapi.Core.Scoring;

namespace Okapi.Web.Features.Reports;

/// <summary>
/// The report's rows as a file: one row per key result with its objective's columns in front; an objective without
/// key results gets one row with the key result columns empty. Text that a spreadsheet would run as a formula
/// (starting with = + - @, tab or CR) is written with a leading apostrophe, in CSV and XLSX alike.
/// </summary>
public static class ReportExport
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const string FormulaStarts = "=+-@\t\r";

    public static readonly string[] Columns =
    [
        "objective_id", "objective", "objective_owner", "objective_progress", "objective_grade", "objective_status", "frozen",
        "key_result_id", "key_result", "key_result_owner", "type", "unit", "start", "target", "current", "weight",
        "progress", "attainment", "status", "forecast", "grade", "grade_reason",
    ];

    /// <summary>The rows as typed cells: text (string), numbers (double) or nothing (null).</summary>
    public static IEnumerable<object?[]> Rows(CycleReportDto report)
    {
        foreach (var o in report.Objectives)
        {
            object?[] objective = [o.Id.ToString(), o.Title, o.OwnerName, o.Progress, o.Grade, Status(o.Status), o.Frozen ? "yes" : "no"];
            if (o.KeyResults.Count == 0)
            {
                yield return [.. objective, .. new object?[Columns.Length - objective.Length]];
                continue;
            }

            foreach (var k in o.KeyResults)
            {
                yield return
                [
                    .. objective, k.Id.ToString(), k.Title, k.OwnerName, Type(k.Type), k.Unit, k.Start, k.Target, k.Current, k.Weight,
                    k.Progress, k.Attainment, Status(k.Status), k.Forecast, k.Grade, k.GradeReason,
                ];
            }
        }
    }

    public static string FileName(CycleReportDto report, ExportFormat format) =>
        $"okapi-report-{Slug(report.CycleName)}-{Slug(report.TeamName)}.{(format == ExportFormat.Xlsx ? "xlsx" : "csv")}";

    /// <summary>Writes the rows to <paramref name="body"/> as they are made: the file is never whole in memory.</summary>
    public static async Task WriteCsvAsync(CycleReportDto report, Stream body, CancellationToken ct)
    {
        // The injection guard of CsvHelper applies to text only: negative numbers stay numbers.
        var options = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };
        await using var csv = CsvWriter.Create(body, options, leaveOpen: true);
        csv.WriteRecord(Columns);
        foreach (var row in Rows(report))
        {
            foreach (var cell in row)
            {
                switch (cell)
                {
                    case double number:
                        csv.WriteField(number, "R");
                        break;
                    case string text:
                        csv.WriteField(text);
                        break;
                    default:
                        csv.WriteField((string?)null);
                        break;
                }
            }

            await csv.EndRecordAsync(ct);
        }

        await csv.FlushAsync(ct);
    }

    /// <summary>
    /// Writes the workbook to <paramref name="body"/>. ClosedXML builds the whole workbook before it saves; the saved
    /// file goes through a temporary file rather than memory, and to the response without blocking a thread.
    /// </summary>
    public static async Task WriteXlsxAsync(CycleReportDto report, Stream body, CancellationToken ct)
    {
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        using (var workbook = Workbook(report))
        {
            workbook.SaveAs(file);
        }

        file.Position = 0;
        await file.CopyToAsync(body, ct);
    }

    private static XLWorkbook Workbook(CycleReportDto report)
    {
        var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("Report");
        for (var c = 0; c < Columns.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(Columns[c]);
        }

        var r = 2;
        foreach (var row in Rows(report))
        {
            for (var c = 0; c < row.Length; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                switch (row[c])
                {
                    case double number:
                        cell.SetValue(number);
                        break;
                    case string text:
                        // SetValue stores text as text (never as a formula); the apostrophe keeps it so when edited.
                        cell.SetValue(Guard(text));
                        cell.DataType = XLDataType.Text;
                        break;
                }
            }

            r++;
        }

        sheet.Row(1).Style.Font.Bold = true;
        sheet.SheetView.FreezeRows(1);
        return workbook;
    }

    /// <summary>The text as the CSV writer escapes it: with an apostrophe in front when it starts like a formula.</summary>
    public static string Guard(string text) => text.Length > 0 && FormulaStarts.Contains(text[0]) ? "'" + text : text;

    private static string? Status(OkrStatus? status) => status switch
    {
        OkrStatus.OnTrack => "on track",
        OkrStatus.AtRisk => "at risk",
        OkrStatus.OffTrack => "off track",
        _ => null,
    };

    // Spelled as the JSON API spells it.
    private static string Type(Okapi.Core.Okrs.KeyResultType type) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

    private static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var ch in text.ToLowerInvariant())
        {
            slug.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        }

        return slug.ToString().Trim('-') is { Length: > 0 } s ? s : "report";
    }
}
