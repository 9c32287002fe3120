using System.Globalization;
using ClosedXML.Excel;
using CsvHelper;
using Okapi.Core.Kpis;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>
/// Values from a file a person exported from a spreadsheet: CSV or XLSX with the columns <c>kpi</c> (key or id),
/// <c>at</c> and <c>value</c> under a header row. Row numbers in errors are the file's, the header being row 1.
/// </summary>
public sealed class KpiUploads(KpiValueRows rows)
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly string[] Columns = ["kpi", "at", "value"];

    public async Task<Outcome<IngestResultDto>> ReadAndStoreAsync(HttpRequest request, CancellationToken ct)
    {
        Stream body;
        bool xlsx;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException || (e is IOException && !ct.IsCancellationRequested))
            {
                // No boundary, a part cut short, or past the form limits: the sender's body, not the server, is at fault.
                return Failure.Invalid("file", $"The multipart body cannot be read: {e.Message}");
            }

            var file = form.Files.FirstOrDefault();
            if (file is null)
            {
                return Failure.Invalid("file", "Attach a CSV or XLSX file.");
            }

            body = file.OpenReadStream();
            xlsx = file.FileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || file.ContentType == XlsxType;
        }
        else if (request.ContentType?.StartsWith(XlsxType, StringComparison.OrdinalIgnoreCase) == true)
        {
            (body, xlsx) = (request.Body, true);
        }
        else if (request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true ||
                 request.ContentType?.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase) == true)
        {
            (body, xlsx) = (request.Body, false);
        }
        else
        {
            return Failure.Invalid("contentType", $"Send text/csv, {XlsxType} or a multipart form with the file.");
        }

        await using (body)
        {
            var errors = new RowErrors();
            var parsed = new List<KpiValueRow>();
            var read = xlsx ? await ReadXlsxAsync(body, parsed, errors, ct) : await ReadCsvAsync(body, parsed, errors, ct);
            if (read is { } failure)
            {
                return failure;
            }

            return await rows.StoreAsync(parsed, errors, KpiValueSource.Upload, ct);
        }
    }

    private async Task<Failure?> ReadCsvAsync(Stream body, List<KpiValueRow> parsed, RowErrors errors, CancellationToken ct)
    {
        var options = CsvReaderOptions.Default with { TrimWhitespace = true, TrackLineNumbers = true };
        await using var csv = CsvReader.Create(body, options, true);
        try
        {
            await csv.ReadHeaderAsync(ct);
            var columns = new Dictionary<string, int>();
            foreach (var column in Columns)
            {
                if (!csv.TryGetFieldIndex(column, out var index))
                {
                    return Failure.Invalid("file", $"The header row (row 1) lacks the column '{column}'; it needs kpi, at and value.");
                }

                columns[column] = index;
            }

            var now = rows.Now;
            var count = 0;
            while (await csv.ReadAsync(ct))
            {
                if (++count > KpiValueRows.MaxRows)
                {
                    return Failure.Invalid("file", $"At most {KpiValueRows.MaxRows} rows per file.");
                }

                var line = (int)csv.LineNumber;
                if (KpiValueRows.FromText(line, csv.GetStringOrNull(columns["kpi"]), csv.GetStringOrNull(columns["at"]), csv.GetStringOrNull(columns["value"]), now, errors) is { } row)
                {
                    parsed.Add(row);
                }
            }
        }
        catch (CsvFormatException e)
        {
            return Failure.Invalid("file", $"The file is not valid CSV: {e.Message.Split('\n')[0]}");
        }

        return null;
    }

    private async Task<Failure?> ReadXlsxAsync(Stream body, List<KpiValueRow> parsed, RowErrors errors, CancellationToken ct)
    {
        // The workbook format is a zip, which needs a seekable stream.
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, ct);
        copy.Position = 0;
        XLWorkbook workbook;
        try
        {
            workbook = new XLWorkbook(copy);
        }
        catch (Exception e) when (e is not OperationCanceledException and not PlatformNotSupportedException)
        {
            return Failure.Invalid("file", "The file is not a valid XLSX workbook.");
        }

        using (workbook)
        {
            var sheet = workbook.Worksheets.FirstOrDefault();
            var header = sheet?.Row(1);
            if (sheet is null || header is null)
            {
                return Failure.Invalid("file", "The workbook has no worksheet.");
            }

            var columns = new Dictionary<string, int>();
            foreach (var cell in header.CellsUsed())
            {
                columns.TryAdd(cell.GetString().Trim().ToLowerInvariant(), cell.Address.ColumnNumber);
            }

            if (Columns.FirstOrDefault(c => !columns.ContainsKey(c)) is { } missing)
            {
                return Failure.Invalid("file", $"The header row (row 1) of the first worksheet lacks the column '{missing}'; it needs kpi, at and value.");
            }

            var now = rows.Now;
            var last = sheet.LastRowUsed()?.RowNumber() ?? 1;
            if (last - 1 > KpiValueRows.MaxRows)
            {
                return Failure.Invalid("file", $"At most {KpiValueRows.MaxRows} rows per file.");
            }

            for (var number = 2; number <= last; number++)
            {
                var row = sheet.Row(number);
                if (row.IsEmpty())
                {
                    continue;
                }

                var at = row.Cell(columns["at"]);
                var value = row.Cell(columns["value"]);
                // Excel keeps dates as numbers with a date format; they carry no zone, so they are taken as UTC.
                var atText = at.DataType == XLDataType.DateTime
                    ? DateTime.SpecifyKind(at.GetDateTime(), DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture)
                    : at.GetString();
                var valueText = value.DataType == XLDataType.Number
                    ? value.GetDouble().ToString("R", CultureInfo.InvariantCulture)
                    : value.GetString();
                if (KpiValueRows.FromText(number, row.Cell(columns["kpi"]).GetString(), atText, valueText, now, errors) is { } parsedRow)
                {
                    parsed.Add(parsedRow);
                }
            }
        }

        return null;
    }
}
