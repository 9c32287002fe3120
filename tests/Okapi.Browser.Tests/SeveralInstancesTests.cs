using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Okapi.Browser.Tests.Pages;
using Okapi.Data;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

/// <summary>
/// Two Okapi instances on one PostgreSQL database (the server named by <c>OKAPI_TEST_POSTGRES</c>, which test.sh
/// starts; without it these tests fail): the demo organisation on the first, a second instance beside it, as behind
/// a load balancer.
/// </summary>
public sealed class TwoInstancesBrowserApp : BrowserApp
{
    private readonly string _database = $"okapi_browser_{Guid.NewGuid():N}";
    private WebApplicationFactory<Program>? _second;

    /// <summary>Where the second instance listens.</summary>
    public string SecondUrl { get; private set; } = "";

    private static string Server => Environment.GetEnvironmentVariable("OKAPI_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("OKAPI_TEST_POSTGRES is not set: run ./test.sh, which starts a throwaway PostgreSQL server.");

    protected override void UseDatabase(IWebHostBuilder builder)
    {
        builder.UseSetting("Okapi:Database:Provider", "Postgres");
        builder.UseSetting("Okapi:Database:ConnectionString", $"{Server};Database={_database};Maximum Pool Size=20");
    }

    protected override Task StartedAsync()
    {
        (_second, SecondUrl) = StartInstance(demo: false);
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{Server};Database=postgres");
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

public sealed class SeveralInstancesTests(TwoInstancesBrowserApp app) : IClassFixture<TwoInstancesBrowserApp>
{
    [Fact]
    public async Task ACheckInThroughOneInstanceShowsOnAPageOpenOnTheOtherWithoutReloading()
    {
        var api = await app.AdminApiAsync();
        var sales = (await api.GetFromJsonAsync<JsonElement>("/api/v1/teams?pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Sales").GetProperty("id").GetString();
        Guid keyResult;
        using (var scope = app.Services.CreateScope())
        {
            keyResult = await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().KeyResults.IgnoreQueryFilters()
                .Where(k => k.Title == "Win 120 new customers").Select(k => k.Id).SingleAsync();
        }

        await using var watcher = await app.NewSessionAsync(baseUrl: app.SecondUrl);
        var shell = await new SignInPage(watcher.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/okrs/team/{sales}");
        var watched = new OkrsPage(watcher.Page).KeyResult("Win 120 new customers");
        await Expect(watched.GetByTestId("progress")).Not.ToHaveTextAsync("100 %");
        var urlBefore = watcher.Page.Url;

        // The check-in goes to the first instance; the page is open on the second.
        using (var checkIn = await api.PostAsJsonAsync($"/api/v1/key-results/{keyResult}/check-ins", new { value = 120 }))
        {
            Assert.True(checkIn.IsSuccessStatusCode, await checkIn.Content.ReadAsStringAsync());
        }

        await Expect(watched.GetByTestId("progress")).ToHaveTextAsync("100 %", new() { Timeout = 2_000 });
        await Expect(watched.GetByTestId("kr-value")).ToContainTextAsync("120 / 120");
        Assert.Equal(urlBefore, watcher.Page.Url);
        Assert.StartsWith(app.SecondUrl, watcher.Page.Url);
        Assert.Empty(watcher.ConsoleErrors);
    }
}
