using Microsoft.Playwright;

namespace Okapi.Browser.Tests.Pages;

/// <summary>The KPI dashboard, a KPI's page and the alerts list.</summary>
public sealed class KpisPage(IPage page)
{
    public ILocator Tile(string name) => page.Locator($"[data-testid=kpi-tile][data-name=\"{name}\"]");

    public ILocator Health(string name) => Tile(name).GetByTestId("kpi-health");

    public ILocator Value(string name) => Tile(name).GetByTestId("kpi-value");
}

public sealed class AlertsPage(IPage page)
{
    public ILocator Rows(string kpi) => page.Locator($"[data-testid=alert-row][data-kpi=\"{kpi}\"]");

    /// <summary>Acknowledges the KPI's open alert with a note, through the dialog.</summary>
    public async Task AcknowledgeAsync(string kpi, string note)
    {
        await Rows(kpi).GetByTestId("acknowledge").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Acknowledgement note").FillAsync(note);
        await dialog.GetByTestId("acknowledge-confirm").ClickAndWaitClosedAsync(dialog);
    }
}
