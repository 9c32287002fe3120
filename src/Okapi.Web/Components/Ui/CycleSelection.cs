namespace Okapi.Web.Components.Ui;

/// <summary>The cycle the person is looking at, shared by the layout's switcher and the pages of one tab.</summary>
public sealed class CycleSelection
{
    public Guid? CycleId { get; private set; }

    public event Action? Changed;

    public void Select(Guid? cycleId)
    {
        if (cycleId == CycleId)
        {
            return;
        }

        CycleId = cycleId;
        Changed?.Invoke();
    }
}
