using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Okapi.Core.Organisations;
using Okapi.Data.Identity;

namespace Okapi.Web.Features.Access;

/// <summary>
/// Clears the <see cref="CallerCache"/> when a save adds, changes or deletes a token, person, team, membership,
/// organisation or account. Clearing everything rather than the affected entries keeps database cascades (a deleted
/// team takes its memberships along) covered; such writes are rare.
/// <para>
/// The cache is cleared when the save starts and again once the change is committed: a request that read the old rows
/// while a transaction was still open would otherwise leave them in the cache.
/// </para>
/// </summary>
public sealed class CallerCacheInvalidation(CallerCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    // Contexts whose save changed who may call, until their change is committed or rolled back.
    private readonly ConditionalWeakTable<DbContext, object> _pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>Whether a save of these entries can change who a caller is or what they may do.</summary>
    public static bool ChangesCallers(ChangeTracker changes) =>
        changes.Entries().Any(e => (e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted) &&
            e.Entity is ApiToken or Person or TeamMembership or Team or Core.Organisations.Organisation or Account);

    private void Saving(DbContext? context)
    {
        if (context is not null && ChangesCallers(context.ChangeTracker))
        {
            _pending.AddOrUpdate(context, this);
            cache.ChangedLocally();
        }
    }

    private void Saved(DbContext? context)
    {
        // Inside a transaction of the caller's the change is not visible to others until it commits.
        if (context is not null && _pending.TryGetValue(context, out _) && context.Database.CurrentTransaction is null)
        {
            _pending.Remove(context);
            cache.ChangedLocally();
        }
    }

    private void Ended(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out _))
        {
            _pending.Remove(context);
            cache.ChangedLocally();
        }
    }
}
