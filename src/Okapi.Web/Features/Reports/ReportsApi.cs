using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Reports;

public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsRoutes(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reports").WithTags("Reports");
        group.MapGet("/cycles/{cycleId:guid}", Report)
            .WithSummary("A cycle's report for a team (its own objectives) or, without team, for the company.")
            .WithDescription("The summary of the whole report (grade distribution, progress and participation per week, a row per team with its objectives, mean progress and mean grade) and its objectives with their key results a page at a time: `page` (from 1) and `pageSize` (default 50, at most 200; values out of range are brought into it), with `objectiveCount` the total. Without paging parameters the company's report answers its first page and a team's report all its objectives. Linter findings: the first 100, with `findingCount` the total. A closed team or cycle reports its close's snapshot.");
        group.MapGet("/cycles/{cycleId:guid}/export", Export)
            .WithSummary("The report's rows as CSV or XLSX: one row per key result with its objective's columns.").WithDescription("format=csv (default) or xlsx; 404 when the cycle or team does not exist. The file is streamed as it is made.")
            .Produces(StatusCodes.Status200OK, contentType: ReportExport.CsvType, additionalContentTypes: ReportExport.XlsxType);
        return api;
    }

    public static async Task<Results<Ok<CycleReportDto>, NotFound>> Report(
        ReportService reports, Guid cycleId, Guid? team, int? page, int? pageSize, HttpContext http, CancellationToken ct) =>
        (await reports.ReportAsync(cycleId, team, ReportPaging.Of(page, pageSize), ct)).ToOk(http);

    /// <summary>The file is written to the response as its rows are made (no Content-Length), so its size costs no memory.</summary>
    public static async Task<Results<PushStreamHttpResult, NotFound>> Export(
        ReportService reports, Guid cycleId, Guid? team, EnumQuery<ExportFormat>? format, CancellationToken ct)
    {
        var kind = format?.Value ?? ExportFormat.Csv;
        return (await reports.RowsAsync(cycleId, team, ct)).To(report => kind == ExportFormat.Xlsx
            ? TypedResults.Stream(body => ReportExport.WriteXlsxAsync(report, body, ct), ReportExport.XlsxType, ReportExport.FileName(report, kind))
            : TypedResults.Stream(body => ReportExport.WriteCsvAsync(report, body, ct), $"{ReportExport.CsvType}; charset=utf-8", ReportExport.FileName(report, kind)));
    }
}
