using Microsoft.AspNetCore.Components;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Components.Ui;

/// <summary>
/// A page that shows data of the selected cycle and stays live: it loads on start, again when the cycle
/// switcher changes, and again when anyone in the organisation changes OKRs (a check-in from another tab, the API).
/// </summary>
public abstract class OkapiPage : ComponentBase, IDisposable
{
    [Inject] protected OkapiSession Session { get; set; } = default!;
    [Inject] protected CycleSelection Selection { get; set; } = default!;
    [Inject] private LiveUpdates Live { get; set; } = default!;

    protected Me? Me { get; private set; }
    protected OrgDirectory? Directory { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Me = await Session.MeAsync();
        Selection.Changed += OnCycleChanged;
        Live.OkrsChanged += OnOkrsChanged;
        await ReloadAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Me is not null && Directory is not null)
        {
            await ReloadAsync();
        }
    }

    /// <summary>Loads what the page shows; called on start, on cycle change, on live updates and on new parameters.</summary>
    protected abstract Task LoadAsync();

    protected async Task ReloadAsync()
    {
        Directory = await Session.DirectoryAsync();
        await LoadAsync();
    }

    private void OnCycleChanged() => _ = InvokeAsync(async () =>
    {
        await ReloadAsync();
        StateHasChanged();
    });

    private void OnOkrsChanged(OkrChanged change)
    {
        if (change.OrganisationId != Me?.OrganisationId)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            await ReloadAsync();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        Selection.Changed -= OnCycleChanged;
        Live.OkrsChanged -= OnOkrsChanged;
        GC.SuppressFinalize(this);
    }
}
