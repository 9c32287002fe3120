using System.Net.Http.Json;
using System.Text.Json;
using ClosedXML.Excel;
using CsvHelper;
using Okapi.Browser.Tests.Pages;
using Okapi.Web.Features.Reports;
using static Microsoft.Playwright.Assertions;

namespace Okapi.Browser.Tests;

public sealed class ReportTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>The demo organisation's active cycle and the key result ids of its company report, in report order.</summary>
    private async Task<(string CycleId, int Objectives, List<string> KeyResultIds, List<string> Titles)> ActiveCycleReportAsync()
    {
        var api = await app.AdminApiAsync();
        var cycles = await api.GetFromJsonAsync<JsonElement>("/api/v1/cycles?state=active");
        var cycleId = cycles.GetProperty("items")[0].GetProperty("id").GetString()!;
        var report = await api.GetFromJsonAsync<JsonElement>($"/api/v1/reports/cycles/{cycleId}");
        var objectives = report.GetProperty("objectives").EnumerateArray().ToList();
        var keyResults = objectives.SelectMany(o => o.GetProperty("keyResults").EnumerateArray()).Select(k => k.GetProperty("id").GetString()!).ToList();
        return (cycleId, objectives.Count, keyResults, objectives.Select(o => o.GetProperty("title").GetString()!).ToList());
    }

    [Fact]
    public async Task PresentationModeStepsThroughTheObjectivesWithTheKeyboardAndEscLeaves()
    {
        var (cycleId, count, _, titles) = await ActiveCycleReportAsync();
        Assert.True(count >= 3, $"the demo cycle has only {count} objectives");
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/present?cycle={cycleId}");
        var present = new PresentationPage(session.Page);
        await Expect(present.Position).ToHaveTextAsync($"1 / {count}");
        await Expect(present.SlideTitle).ToHaveTextAsync(titles[0]);
        await Expect(session.Page.GetByRole(Microsoft.Playwright.AriaRole.Navigation, new() { Name = "Main" })).ToHaveCountAsync(0);

        await present.PressAsync("ArrowRight");
        await Expect(present.Position).ToHaveTextAsync($"2 / {count}");
        await Expect(present.SlideTitle).ToHaveTextAsync(titles[1]);
        await present.PressAsync("PageDown");
        await Expect(present.Position).ToHaveTextAsync($"3 / {count}");
        await present.PressAsync("ArrowLeft");
        await Expect(present.Position).ToHaveTextAsync($"2 / {count}");
        await present.PressAsync("End");
        await Expect(present.Position).ToHaveTextAsync($"{count} / {count}");
        await Expect(present.SlideTitle).ToHaveTextAsync(titles[^1]);
        await present.PressAsync("Home");
        await Expect(present.Position).ToHaveTextAsync($"1 / {count}");
        await present.PressAsync(" ");
        await Expect(present.Position).ToHaveTextAsync($"2 / {count}");
        await present.Next.ClickAsync();
        await Expect(present.Position).ToHaveTextAsync($"3 / {count}");

        await present.PressAsync("Escape");
        // Leaving is a client-side navigation (no page load to wait for): watch the address instead.
        await Expect(session.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/reports\\?cycle="));
        await Expect(new ReportPage(session.Page).Objectives).ToHaveCountAsync(count);
        Assert.Empty(session.ConsoleErrors);
    }

    [Fact]
    public async Task TheCsvAndXlsxDownloadedFromTheReportPageHoldTheReportsRows()
    {
        var (cycleId, count, keyResultIds, _) = await ActiveCycleReportAsync();
        await using var session = await app.NewSessionAsync();
        var shell = await new SignInPage(session.Page).SignInAsync(BrowserApp.AdminEmail);
        await shell.GoAsync($"/reports?cycle={cycleId}");
        var report = new ReportPage(session.Page);
        await Expect(report.Objectives).ToHaveCountAsync(count);
        await Expect(session.Page.GetByTestId("grade-distribution")).ToBeVisibleAsync();
        await Expect(session.Page.GetByTestId("progress-over-time")).ToBeVisibleAsync();
        var folder = Directory.CreateTempSubdirectory("okapi-report-").FullName;

        var (csvName, csvPath) = await report.DownloadAsync("download-csv", folder);
        var (xlsxName, xlsxPath) = await report.DownloadAsync("download-xlsx", folder);

        Assert.EndsWith(".csv", csvName);
        Assert.EndsWith(".xlsx", xlsxName);
        using (var csv = CsvReader.Create(await File.ReadAllBytesAsync(csvPath), null))
        {
            csv.ReadHeader();
            var ids = new List<string>();
            while (csv.Read())
            {
                if (csv.GetString("key_result_id") is { Length: > 0 } id)
                {
                    ids.Add(id);
                }
            }

            Assert.Equal(keyResultIds, ids);
        }

        using var workbook = new XLWorkbook(xlsxPath);
        var sheet = workbook.Worksheet(1);
        var column = Array.IndexOf(ReportExport.Columns, "key_result_id") + 1;
        var progress = Array.IndexOf(ReportExport.Columns, "progress") + 1;
        var rows = sheet.RowsUsed().Skip(1).Where(r => !r.Cell(column).IsEmpty()).ToList();
        Assert.Equal(keyResultIds, rows.Select(r => r.Cell(column).GetString()));
        Assert.All(rows, r => Assert.Equal(XLDataType.Number, r.Cell(progress).DataType));
        Directory.Delete(folder, recursive: true);
        Assert.Empty(session.ConsoleErrors);
    }
}
