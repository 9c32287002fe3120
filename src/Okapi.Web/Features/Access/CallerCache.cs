using Microsoft.Extensions.Caching.Memory;
using Okapi.Core.Access;
using Okapi.Core.Organisations;

namespace Okapi.Web.Features.Access;

/// <summary>What authenticating a bearer token needs to know of it.</summary>
public sealed record CachedToken(
    Guid Id, Guid PersonId, Guid OrganisationId, IReadOnlyList<TokenScope> Scopes, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);

/// <summary>What loading a caller needs to know of a person: their name, role and teams.</summary>
public sealed record CachedPerson(string Name, Role Role, IReadOnlyList<Guid> TeamIds, IReadOnlyList<Guid> LedTeamIds);

/// <summary>
/// Who is calling, remembered between requests: a token by the hash of its secret, a person by organisation and id.
/// Without it every request ran three or four statements before its own work.
/// <para>
/// Correctness comes from two things. Every local write that can change these facts clears the cache before the next
/// request reads it (<see cref="CallerCacheInvalidation"/> for saves, <see cref="Clear"/> for anything else), and no
/// entry is older than <c>Okapi:CallerCacheSeconds</c> (1 s; 0 turns the cache off), which bounds how long a change
/// made by another instance on the same database goes unseen if its notice is lost. On PostgreSQL such changes are
/// announced to the other instances when they commit, which call <see cref="Clear"/> on receipt (ADR-013).
/// </para>
/// </summary>
public sealed class CallerCache : IDisposable
{
    /// <summary>Tokens and people together; at the reference organisation's size a few megabytes at most.</summary>
    public const int Capacity = 50_000;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Capacity });
    private readonly TimeSpan _maxAge;

    // Bumped by every clear: a load that began before a change must not store what it read after the clear.
    private long _generation;

    public CallerCache(IConfiguration configuration)
    {
        _maxAge = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Okapi:CallerCacheSeconds", 1.0)));
    }

    public bool Enabled => _maxAge > TimeSpan.Zero;

    public Task<CachedToken?> TokenAsync(string hash, Func<Task<CachedToken?>> load) => GetOrLoadAsync(hash, load);

    public Task<CachedPerson?> PersonAsync(Guid organisationId, Guid personId, Func<Task<CachedPerson?>> load) =>
        GetOrLoadAsync((organisationId, personId), load);

    /// <summary>
    /// Something read from tokens, people, teams, memberships or organisations alone, such as a page of the teams
    /// list: remembered and forgotten exactly as the callers are. The key must hold the organisation.
    /// </summary>
    public Task<T?> DirectoryAsync<T>(object key, Func<Task<T?>> load) where T : class => GetOrLoadAsync(key, load);

    /// <summary>Remembers when a token was last used, so that the next request need not ask the database.</summary>
    public void Used(string hash, CachedToken token, DateTime at)
    {
        var generation = Interlocked.Read(ref _generation);
        if (Enabled && _entries.TryGetValue(hash, out CachedToken? cached) && cached!.Id == token.Id)
        {
            Store(hash, cached with { LastUsedAt = at }, generation);
        }
    }

    /// <summary>A write on this instance changed tokens, people, teams, memberships, organisations or accounts.</summary>
    public void ChangedLocally() => Clear();

    /// <summary>Forgets everything: the next request of every caller reads the database again.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    public void Dispose() => _entries.Dispose();

    private async Task<T?> GetOrLoadAsync<T>(object key, Func<Task<T?>> load) where T : class
    {
        if (!Enabled)
        {
            return await load();
        }

        if (_entries.TryGetValue(key, out T? hit))
        {
            return hit;
        }

        // Unknown tokens and people are not remembered: they would let anyone fill the cache with guesses.
        var generation = Interlocked.Read(ref _generation);
        var loaded = await load();
        if (loaded is not null)
        {
            Store(key, loaded, generation);
        }

        return loaded;
    }

    private void Store(object key, object value, long generation)
    {
        if (Interlocked.Read(ref _generation) != generation)
        {
            return;
        }

        _entries.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _maxAge });
        // A clear between the check above and the store would otherwise leave what was read before it.
        if (Interlocked.Read(ref _generation) != generation)
        {
            _entries.Remove(key);
        }
    }
}
