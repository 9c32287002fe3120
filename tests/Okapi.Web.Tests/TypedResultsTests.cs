using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Okapi.Data;
using Okapi.Web.Infrastructure;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests;

/// <summary>What does not depend on the database runs on SQLite only.</summary>
public sealed class TypedResultsTests(OkapiApps apps) : IClassFixture<OkapiApps>
{
    [Fact]
    public async Task TheDocumentAdvertisesOnlyTheFailuresAnOperationsServiceCanReturn()
    {
        var app = await apps.StartAsync(DatabaseProvider.Sqlite);
        var paths = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");
        string[] Responses(string path, string method) =>
            [.. paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(r => r.Name)];

        // Reading a KPI can only miss it; creating one can only be invalid or refused, never miss.
        Assert.Contains("404", Responses("/api/v1/kpis/{id}", "get"));
        Assert.DoesNotContain("400", Responses("/api/v1/kpis/{id}", "get"));
        Assert.Contains("400", Responses("/api/v1/kpis", "post"));
        Assert.DoesNotContain("404", Responses("/api/v1/kpis", "post"));
        Assert.Contains("404", Responses("/api/v1/kpis/{id}", "put"));
        Assert.Contains("400", Responses("/api/v1/kpis/{id}", "put"));
    }

    [Fact]
    public void AFailureTheHandlersTypedResultsListBecomesThatResult()
    {
        Outcome<int> missing = Failure.NotFound;
        Outcome<int> refused = Failure.Forbidden("Not yours.");

        Results<Ok<int>, NotFound> notFound = missing.ToOk(new DefaultHttpContext());
        Results<Ok<int>, NotFound, ProblemHttpResult> forbidden = refused.ToOk(new DefaultHttpContext());

        Assert.IsType<NotFound>(notFound.Result);
        Assert.Equal(StatusCodes.Status403Forbidden, Assert.IsType<ProblemHttpResult>(forbidden.Result).StatusCode);
    }

    [Fact]
    public void AFailureTheHandlersTypedResultsDoNotListThrowsInsteadOfAnsweringUndescribed()
    {
        Outcome<int> refused = Failure.Forbidden("Not yours.");

        var unlisted = Assert.Throws<InvalidOperationException>(() =>
        {
            Results<Ok<int>, NotFound> result = refused.ToOk(new DefaultHttpContext());
            return result;
        });
        Assert.Contains("Forbidden", unlisted.Message);
    }
}
