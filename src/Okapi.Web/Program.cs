using System.Globalization;
using Okapi.Data;
using Okapi.Web.Components;
using Okapi.Web.Features;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Alerts;
using Okapi.Web.Features.Audit;
using Okapi.Web.Features.Closing;
using Okapi.Web.Features.Exchange;
using Okapi.Web.Features.Home;
using Okapi.Web.Features.Inbox;
using Okapi.Web.Features.Kpis;
using Okapi.Web.Features.Lint;
using Okapi.Web.Features.Notifications;
using Okapi.Web.Features.Okrs;
using Okapi.Web.Features.Organisation;
using Okapi.Web.Features.Reports;
using Okapi.Web.Features.Reviews;
using Okapi.Web.Features.Rhythm;
using Okapi.Web.Features.Search;
using Okapi.Web.Features.Setup;
using Okapi.Web.Features.Sources;
using Okapi.Web.Infrastructure;
using Okapi.Web.Infrastructure.Instances;
using Scalar.AspNetCore;

// One culture for dates and numbers on every page, whatever the server's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-GB");

var builder = WebApplication.CreateBuilder(args);

// Serves the libraries' assets (MudBlazor, the Blazor runtime) when running from a build rather than a publish.
builder.WebHost.UseStaticWebAssets();
var command = CommandLine.Parse(args);
if (command is not null)
{
    // Commands print only their result, so that scripts can capture it.
    builder.Logging.ClearProviders();
}

builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Services.AddOkapiData(builder.Configuration);
builder.Services.AddOkapiInstances(builder.Configuration);
builder.Services.AddOkapiSetup(builder.Configuration);
builder.Services.AddOkapiFeatures();
builder.Services.AddOkapiKpis();
builder.Services.AddOkapiAlerts();
builder.Services.AddOkapiNotifications();
builder.Services.AddOkapiSources();
builder.Services.AddOkapiInbox();
builder.Services.AddOkapiReviews();
builder.Services.AddOkapiRhythm();
builder.Services.AddOkapiClosing();
builder.Services.AddOkapiReports();
builder.Services.AddOkapiExchange();
builder.Services.AddOkapiAccess();
builder.Services.AddOkapiSingleSignOn(builder.Configuration);
builder.Services.AddOkapiKeyRing(builder.Configuration);
builder.Services.AddOkapiApi();
builder.Services.AddOkapiUi();
builder.Services.AddOkapiTelemetry(builder.Configuration);

var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app.Services);
}

if (!await app.Services.BootstrapAsync())
{
    return 1;
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseOkapiNotFoundPage();
app.UseOkapiSecurityHeaders();
app.UseAuthentication();
app.UseOkapiCaller();
app.UseAuthorization();
app.UseRateLimiter();
app.UseOkapiRequestBodies();
app.UseAntiforgery();

app.MapOpenApi();
app.MapScalarApiReference("/api", o => o.WithTitle("Okapi API").WithOpenApiRoutePattern("/openapi/{documentName}.json").WithNonce().DisableDefaultFonts());
app.MapOkapiHealth();
app.MapAccountApi();
app.MapSingleSignOn();

var api = app.MapGroup("/api/v1")
    .RequireApiPolicies()
    .RequireSupportedDates()
    .AnswerNotModified()
    .ProducesProblem(StatusCodes.Status401Unauthorized)
    .ProducesProblem(StatusCodes.Status403Forbidden);
api.MapOrganisationApi()
    .MapTeamsApi()
    .MapPeopleApi()
    .MapCyclesApi()
    .MapObjectivesApi()
    .MapKeyResultsApi()
    .MapInitiativesApi()
    .MapCommentsApi()
    .MapLintApi()
    .MapAuditApi()
    .MapTokensApi()
    .MapSearchApi()
    .MapFocusApi()
    .MapKpisApi()
    .MapAlertsApi()
    .MapNotificationsApi()
    .MapKpiSourcesApi()
    .MapInboxApi()
    .MapReviewsApi()
    .MapRhythmApi()
    .MapClosingApi()
    .MapReportsApi()
    .MapExchangeApi();
app.MapKpiMetrics();
app.MapOkapiTelemetry();
app.MapOkapiUi();

await app.RunAsync();
return 0;

public partial class Program;
