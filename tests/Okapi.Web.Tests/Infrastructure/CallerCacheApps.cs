using Microsoft.AspNetCore.Hosting;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>
/// Okapi remembering callers for a minute, far longer than the default second: a change that is seen on the next
/// request was seen because the write cleared the cache, not because the entry happened to expire.
/// </summary>
public sealed class LongCallerCacheApps : OkapiApps
{
    protected override AppOptions Options => new() { Configure = b => b.UseSetting("Okapi:CallerCacheSeconds", "60") };
}

/// <summary>Okapi with the caller cache turned off, as every request ran before it.</summary>
public sealed class NoCallerCacheApps : OkapiApps
{
    protected override AppOptions Options => new() { Configure = b => b.UseSetting("Okapi:CallerCacheSeconds", "0") };
}
