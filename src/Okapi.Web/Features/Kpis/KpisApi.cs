using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Okapi.Core.Kpis;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

public static class KpisApi
{
    /// <summary>Bodies of bulk requests and uploads may be large; a million rows of JSON is about 70 MB.</summary>
    public const long MaxIngestBodyBytes = 256L * 1024 * 1024;

    public static RouteGroupBuilder MapKpisRoutes(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/kpis").WithTags("KPIs");
        group.MapGet("/", List).WithSummary("List KPIs with their current period value, health, change and attainment.").WithDescription("Only KPIs the caller may see (public ones, private ones they or their teams own, all for admins); filter by team, tag, health, search, and archived=true for archived ones. Paged with `page` (from 1) and `pageSize` (default 50, at most 200); the answer carries the total.");
        group.MapGet("/dashboard", Dashboard).WithSummary("One page (?page=, ?pageSize=, default 50) of the KPIs matching the filter with their last 12 period values (oldest first) for sparklines; X-Total-Count holds the total.").WithDescription("Only KPIs the caller may see, with the same filters as the list; archived KPIs only with archived=true.");
        group.MapGet("/{id:guid}", Get).WithSummary("Get a KPI by id, with its ETag.").WithDescription("404 when the KPI does not exist or is private to others.");
        group.MapPost("/", Create).WithSummary("Create a KPI; without a key, one is made from the name.").WithDescription("Viewers get 403; members create KPIs for themselves or their own teams (403 otherwise), admins for anyone. A key already in use is a validation problem.");
        group.MapPut("/{id:guid}", Update).WithSummary("Replace a KPI; send its ETag in If-Match.").WithDescription("Only the owner, the owner team's members and admins (403); 409 when the KPI is archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete a KPI; send its ETag in If-Match.").WithDescription("Only the owner, the owner team's members and admins (403); 409 when the KPI is archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/archive", Archive).WithSummary("Archive the KPI: hidden from lists and dashboards (find it with ?archived=true), read-only; its alert rules fire nothing and its pull sources rest.").WithDescription("Only the KPI's editors (403); 409 when it is already archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id:guid}/restore", Restore).WithSummary("Restore an archived KPI as it was.").WithDescription("Only the KPI's editors (403); 409 when it is not archived. 412 when If-Match is stale.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id:guid}/values", Series).WithSummary("Values in [from, to) (default: the last 30 days), downsampled to at most maxPoints (default 1000, at most 10000).").WithDescription("Anyone who may see the KPI (404 otherwise); a `from` after `to` is a validation problem.");
        group.MapGet("/{id:guid}/periods", Periods).WithSummary("Period values in [from, to) (default: the last year), newest first, by the KPI's cadence and aggregation.").WithDescription("Anyone who may see the KPI (404 otherwise); a `from` after `to` is a validation problem.");
        group.MapPost("/{id:guid}/values", AddValues).RequireAuthorization(ApiPolicies.KpiIngest)
            .Accepts<KpiValueInput>("application/json")
            .WithSummary("Store one value {\"at\", \"value\"} (at defaults to now) or an array of them; a value at an existing instant replaces it.").WithDescription("The KPI's editors, and members' tokens with the kpi:ingest scope for any KPI they may see (403 otherwise); 409 when the KPI is archived. Nothing is stored when a value is invalid.").ProducesProblem(StatusCodes.Status409Conflict);

        var values = api.MapGroup("/kpi-values").WithTags("KPI values");
        values.MapPost("/", Bulk).RequireAuthorization(ApiPolicies.KpiIngest)
            .WithMetadata(new RequestSizeLimitAttribute(MaxIngestBodyBytes))
            .Accepts<List<BulkValueRow>>("application/json")
            .WithSummary("Store values of many KPIs: an array of {\"kpiId\" or \"kpi\" (key), \"at\", \"value\"}. All rows or none.").WithDescription("The KPIs' editors, and members' tokens with the kpi:ingest scope; rows of KPIs the caller may not see or write to, or of archived KPIs, are listed as errors with their row and nothing is stored.");
        values.MapPost("/upload", Upload).RequireAuthorization(ApiPolicies.KpiIngest)
            .WithMetadata(new RequestSizeLimitAttribute(MaxIngestBodyBytes))
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data", "text/csv", "text/plain", KpiUploads.XlsxType)
            .WithSummary("Store values from CSV (text/csv or a multipart file) or XLSX with the columns kpi, at, value and a header row. All rows or none.").WithDescription("The same callers and rules as the JSON bulk store; invalid rows are listed with their row number and nothing is stored.");
        return api;
    }

    public static async Task<Ok<Page<KpiDto>>> List(KpiService kpis, [AsParameters] KpiFilter filter, [AsParameters] PageRequest page, CancellationToken ct) =>
        TypedResults.Ok(await kpis.ListAsync(filter, page, ct));

    /// <summary>One page of tiles as an array; the total of all pages is in the <c>X-Total-Count</c> header.</summary>
    public static async Task<Ok<IReadOnlyList<KpiTileDto>>> Dashboard(KpiService kpis, [AsParameters] KpiFilter filter, [AsParameters] PageRequest page, HttpContext http, CancellationToken ct)
    {
        var tiles = await kpis.DashboardAsync(filter, page, ct);
        http.Response.Headers["X-Total-Count"] = tiles.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Ok(tiles.Items);
    }

    public static async Task<Results<Ok<KpiDto>, NotFound>> Get(Guid id, KpiService kpis, HttpContext http, CancellationToken ct) =>
        (await kpis.GetAsync(id, ct)).ToOk(http);

    public static async Task<Results<Created<KpiDto>, ValidationProblem, ProblemHttpResult>> Create(KpiRequest request, KpiService kpis, HttpContext http, CancellationToken ct) =>
        (await kpis.CreateAsync(request, ct)).ToCreated(http, k => $"/api/v1/kpis/{k.Id}");

    public static async Task<Results<Ok<KpiDto>, NotFound, ValidationProblem, ProblemHttpResult>> Update(Guid id, KpiRequest request, KpiService kpis, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await kpis.UpdateAsync(id, request, ifMatch, ct)).ToOk(http);

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Delete(Guid id, KpiService kpis, IfMatch ifMatch, CancellationToken ct) =>
        (await kpis.DeleteAsync(id, ifMatch, ct)).ToNoContent();

    public static async Task<Results<Ok<KpiDto>, NotFound, ProblemHttpResult>> Archive(Guid id, KpiService kpis, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await kpis.ArchiveAsync(id, ifMatch, ct)).ToOk(http);

    public static async Task<Results<Ok<KpiDto>, NotFound, ProblemHttpResult>> Restore(Guid id, KpiService kpis, IfMatch ifMatch, HttpContext http, CancellationToken ct) =>
        (await kpis.RestoreAsync(id, ifMatch, ct)).ToOk(http);

    public static async Task<Results<Ok<KpiSeriesDto>, NotFound, ValidationProblem>> Series(Guid id, DateTimeOffset? from, DateTimeOffset? to, int? maxPoints, KpiService kpis, HttpContext http, CancellationToken ct) =>
        (await kpis.SeriesAsync(id, from, to, maxPoints, ct)).ToOk(http);

    public static async Task<Results<Ok<IReadOnlyList<KpiPeriodDto>>, NotFound, ValidationProblem>> Periods(Guid id, DateTimeOffset? from, DateTimeOffset? to, KpiService kpis, HttpContext http, CancellationToken ct) =>
        (await kpis.PeriodsAsync(id, from, to, ct)).ToOk(http);

    /// <summary>Read by hand rather than bound: "NaN" as a string must become a row error, not a 400 without a row.</summary>
    public static async Task<Results<Ok<IngestResultDto>, NotFound, ValidationProblem, ProblemHttpResult>> AddValues(Guid id, KpiService kpis, KpiValueRows rows, HttpContext http, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 32 }, ct);
        }
        catch (JsonException e)
        {
            return Malformed(e);
        }

        using (document)
        {
            var errors = new RowErrors();
            var now = rows.Now;
            var items = document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().ToList()
                : [document.RootElement];
            if (items.Count > KpiValueRows.MaxRows)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = [$"at most {KpiValueRows.MaxRows} values per request."] });
            }

            var inputs = new List<KpiValueInput>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var json = items[i].Deserialize<JsonValueRow>(BulkJson) ?? new JsonValueRow { IsObject = false };
                if (KpiValueRows.FromJson(json, i + 1, needsKpi: false, now, errors) is { } row)
                {
                    inputs.Add(new KpiValueInput(row.At, row.Value));
                }
            }

            if (!errors.IsValid)
            {
                // Unknown KPIs answer 404 before bad rows are reported, as for every other call on a KPI.
                var known = await kpis.GetAsync(id, ct);
                return known.IsOk ? errors.ToFailure().ToOutcome<IngestResultDto>().ToOk(http) : known.Failure!.ToOutcome<IngestResultDto>().ToOk(http);
            }

            return (await kpis.AddValuesAsync(id, inputs, ct)).ToOk(http);
        }
    }

    /// <summary>Streams the array: rows are read one at a time, never the whole body at once.</summary>
    public static async Task<Results<Ok<IngestResultDto>, ValidationProblem, ProblemHttpResult>> Bulk(KpiValueRows rows, HttpContext http, CancellationToken ct)
    {
        var errors = new RowErrors();
        var now = rows.Now;
        var parsed = new List<KpiValueRow>();
        var number = 0;
        try
        {
            await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonValueRow>(http.Request.Body, BulkJson, ct))
            {
                if (++number > KpiValueRows.MaxRows)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = [$"at most {KpiValueRows.MaxRows} rows per request; split the values into several requests."] });
                }

                if (KpiValueRows.FromJson(element ?? new JsonValueRow { IsObject = false }, number, needsKpi: true, now, errors) is { } row)
                {
                    parsed.Add(row);
                }
            }
        }
        catch (JsonException e)
        {
            return Malformed(e);
        }

        return (await rows.StoreAsync(parsed, errors, KpiValueSource.Api, ct)).ToOk(http);
    }

    public static async Task<Results<Ok<IngestResultDto>, ValidationProblem>> Upload(KpiUploads uploads, HttpContext http, CancellationToken ct) =>
        (await uploads.ReadAndStoreAsync(http.Request, ct)).ToOk(http);

    private static readonly JsonSerializerOptions BulkJson = new() { MaxDepth = 32 };

    private static ProblemHttpResult Malformed(JsonException e) => TypedResults.Problem(
        title: "The body is not valid JSON.",
        detail: $"Expected a JSON array of rows: {e.Message}",
        statusCode: StatusCodes.Status400BadRequest);

    private static Outcome<T> ToOutcome<T>(this Failure failure) => failure;
}

/// <summary>One row of <c>POST /api/v1/kpi-values</c>, for the API description; the endpoint reads rows by hand.</summary>
/// <param name="KpiId">The KPI's id; give it or `kpi`.</param>
/// <param name="Kpi">The KPI's key (or its id); give it or `kpiId`.</param>
/// <param name="At">The instant the value is for, ISO 8601 (UTC without an offset); now when left out. From the year 2000 to at most 24 hours ahead of the server's clock; a value at an instant the KPI already has replaces it.</param>
/// <param name="Value">The value in the KPI's unit: a finite number between -1e15 and 1e15.</param>
public sealed record BulkValueRow(Guid? KpiId, string? Kpi, DateTimeOffset? At, double Value);
