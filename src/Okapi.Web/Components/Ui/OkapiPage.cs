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

    private bool _disposed;
    private object? _loadedFor;
    private Guid? _cycle;
    private bool _choosingCycle = true;

    protected Me? Me { get; private set; }
    protected OrgDirectory? Directory { get; private set; }

    /// <summary>The route parameters the page shows; a new value (another team, another objective) reloads it.</summary>
    protected virtual object? ParameterKey => null;

    /// <summary>KPI pages also reload when KPI values, health or alerts change (a value posted through the API).</summary>
    protected virtual bool LiveOnKpis => false;

    protected override async Task OnInitializedAsync()
    {
        // Subscribe before the first await: a page left while it loads still unsubscribes in Dispose. A prerendered
        // page is gone once its HTML is sent, so a change elsewhere meanwhile would only make it load twice.
        Selection.Changed += OnCycleChanged;
        if (RendererInfo.IsInteractive)
        {
            Live.OkrsChanged += OnOkrsChanged;
            Live.KpisChanged += OnKpisChanged;
        }

        Me = await Session.MeAsync();
        _loadedFor = ParameterKey;
        await ReloadAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (Directory is not null && !Equals(_loadedFor, ParameterKey))
        {
            _loadedFor = ParameterKey;
            await ReloadAsync();
        }
    }

    /// <summary>Loads what the page shows; called on start, on cycle change, on live updates and on new parameters.</summary>
    protected abstract Task LoadAsync();

    protected async Task ReloadAsync()
    {
        // The names shown so far stay until the load brings their current ones, so that nothing blinks empty meanwhile.
        _choosingCycle = true;
        var directory = await Session.DirectoryAsync();
        Directory = Directory is null ? directory : directory.With(Directory.Names);
        // The layout selects the current cycle as well, and either may come first: a selection made before this point
        // is read here, and the same choice made here spares a second load when the layout's arrives.
        _cycle = Selection.CycleId ?? directory.CurrentCycle?.Id;
        _choosingCycle = false;
        Selection.Select(_cycle);
        await LoadAsync();
    }

    /// <summary>Adds the names of the teams and people the page shows to <see cref="Directory"/>: one statement.</summary>
    protected async Task ShowNamesOfAsync(IEnumerable<Guid?> ids) => Directory = Directory!.With(await Session.NamesAsync(ids));

    private void OnCycleChanged() => _ = InvokeAsync(async () =>
    {
        if (_disposed || _choosingCycle || Selection.CycleId == _cycle)
        {
            return;
        }

        await ReloadAsync();
        StateHasChanged();
    });

    private void OnKpisChanged(KpiChanged change)
    {
        if (LiveOnKpis)
        {
            OnOrganisationChanged(change.OrganisationId);
        }
    }

    private void OnOkrsChanged(OkrChanged change) => OnOrganisationChanged(change.OrganisationId);

    private void OnOrganisationChanged(Guid organisationId)
    {
        if (_disposed || organisationId != Me?.OrganisationId)
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            if (_disposed)
            {
                return;
            }

            await ReloadAsync();
            StateHasChanged();
        });
    }

    public void Dispose()
    {
        _disposed = true;
        Selection.Changed -= OnCycleChanged;
        Live.OkrsChanged -= OnOkrsChanged;
        Live.KpisChanged -= OnKpisChanged;
        GC.SuppressFinalize(this);
    }
}
