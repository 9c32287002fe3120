using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Okapi.Web.Features.Access;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Exchange;

public static class ExchangeApi
{
    /// <summary>A large organisation's whole history of OKRs is a few megabytes of YAML.</summary>
    public const long MaxDocumentBytes = 16L * 1024 * 1024;

    public static readonly string[] YamlTypes = ["application/yaml", "text/yaml", "application/x-yaml"];

    public static RouteGroupBuilder MapExchangeRoutes(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("OKRs as code");
        group.MapGet("/export", Export).RequireAuthorization(ApiPolicies.Admins)
            .Produces<string>(StatusCodes.Status200OK, ExchangeExport.YamlContentType, ExchangeExport.JsonContentType)
            .WithSummary("The organisation's teams, people, cycles, KPIs, objectives, key results and check-ins as one document (admins); format=yaml (default) or json, cycle=key or id for one cycle. KPI values are not exported.").WithDescription("Admins only, with an admin token when using a token (403 otherwise); a cycle key or id that matches no cycle is a validation problem.");
        group.MapPost("/import", Import).RequireAuthorization(ApiPolicies.Admins)
            .WithMetadata(new RequestSizeLimitAttribute(MaxDocumentBytes))
            .Accepts<OkrDocument>(ExchangeExport.JsonContentType, [.. YamlTypes])
            .WithSummary("Import a document (application/yaml, text/yaml or application/json; admins). Every error is listed with its path, line and column and nothing changes; otherwise the document is applied in one transaction (dryRun=true: only planned) and the plan of created, updated and unchanged rows returned. Nothing the document leaves out is deleted.").WithDescription("Admins only (403 otherwise). 409 when the organisation changed while the document was applied (a key or an email was taken meanwhile); nothing is imported then.").ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        ExchangeExport export, CancellationToken ct, string? format = null, string? cycle = null)
    {
        var chosen = format?.ToLowerInvariant() switch
        {
            null or "" or "yaml" or "yml" => DocumentFormat.Yaml,
            "json" => DocumentFormat.Json,
            _ => (DocumentFormat?)null,
        };
        if (chosen is not { } documentFormat)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["must be yaml or json."] });
        }

        return (await export.ExportAsync(documentFormat, string.IsNullOrWhiteSpace(cycle) ? null : cycle.Trim(), ct)).To(document =>
            TypedResults.File(Encoding.UTF8.GetBytes(document.Text), document.ContentType + "; charset=utf-8", document.FileName));
    }

    /// <summary>Read by hand rather than bound: YAML has no input formatter, and errors must carry their place in the text.</summary>
    public static async Task<Results<Ok<ImportPlanDto>, ValidationProblem, ProblemHttpResult>> Import(
        ExchangeImport import, HttpContext http, CancellationToken ct, bool dryRun = false)
    {
        var type = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var yaml = type is not null && YamlTypes.Contains(type);
        if (!yaml && type != ExchangeExport.JsonContentType)
        {
            return TypedResults.Problem(title: "Send the document as YAML or JSON.", detail: "The Content-Type must be application/yaml, text/yaml or application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var outcome = await import.ImportAsync(buffer.ToArray(), yaml, dryRun, ct);
        if (outcome.Value is { Errors.Count: > 0 } refused)
        {
            return Refused(refused.Errors);
        }

        return outcome.To(result => TypedResults.Ok(result.Plan!));
    }

    /// <summary>Errors keyed by path (as validation problems are), and each with its line and column under "places".</summary>
    private static ValidationProblem Refused(IReadOnlyList<ExchangeError> errors) => TypedResults.ValidationProblem(
        errors.GroupBy(e => e.Path.Length == 0 ? "document" : e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.ToString()).ToArray()),
        title: "The document is not valid; nothing was imported.",
        detail: $"{errors.Count} error{(errors.Count == 1 ? "" : "s")} in the document.",
        extensions: new Dictionary<string, object?> { ["places"] = errors.Select(ImportErrorDto.From).ToList() });
}
