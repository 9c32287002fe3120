namespace Okapi.Web.Features.Inbox;

/// <summary>
/// Tells the navigation of one browser tab that the inbox changed there (an item done or dismissed), so that its open
/// count follows without waiting for the next page change.
/// </summary>
public sealed class InboxCounter
{
    public event Action? OnChanged;

    public void Changed() => OnChanged?.Invoke();
}
