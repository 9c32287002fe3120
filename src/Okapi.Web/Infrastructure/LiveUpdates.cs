using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Okapi.Core;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Web.Infrastructure;

/// <summary>Something in an organisation's OKRs changed (a check-in, an edit), so open pages can refresh.</summary>
public sealed record OkrChanged(Guid OrganisationId, IReadOnlySet<Guid> EntityIds);

/// <summary>
/// In-process notifications of committed changes, for pages that stay open. Whatever writes — the API, a page,
/// a job — goes through the DbContext, so one interceptor publishes for all of them.
/// </summary>
public sealed class LiveUpdates
{
    public event Action<OkrChanged>? OkrsChanged;

    /// <summary>KPI values arrived or alerts changed state; raised by ingestion and the alert evaluator, which write in bulk.</summary>
    public event Action<KpiChanged>? KpisChanged;

    /// <summary>Changes committed by this instance, for other instances' pages (see <c>InstanceChanges</c>); not raised by <see cref="Relay(OkrChanged)"/>.</summary>
    public event Action<OkrChanged>? OkrsChangedHere;

    /// <summary>KPI changes committed by this instance, for other instances' pages; not raised by <see cref="Relay(KpiChanged)"/>.</summary>
    public event Action<KpiChanged>? KpisChangedHere;

    public void Publish(OkrChanged change)
    {
        OkrsChanged?.Invoke(change);
        OkrsChangedHere?.Invoke(change);
    }

    public void Publish(KpiChanged change)
    {
        KpisChanged?.Invoke(change);
        KpisChangedHere?.Invoke(change);
    }

    /// <summary>A change another instance committed: this instance's pages refresh, and it is not announced again.</summary>
    public void Relay(OkrChanged change) => OkrsChanged?.Invoke(change);

    /// <summary>KPI changes another instance committed: this instance's pages refresh, and they are not announced again.</summary>
    public void Relay(KpiChanged change) => KpisChanged?.Invoke(change);
}

/// <summary>New values for some KPIs, or their alerts changed, so open KPI pages can refresh.</summary>
public sealed record KpiChanged(Guid OrganisationId, IReadOnlySet<Guid> KpiIds);

/// <summary>
/// Collects the OKR rows a save touches and publishes them once they are committed: right after the save, or,
/// inside an explicit transaction, when that transaction commits (a page reloading earlier would read the old data).
/// </summary>
public sealed class LiveUpdateInterceptor(LiveUpdates updates) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Keyed by context and marked with its lease: contexts are pooled, and a transaction abandoned without commit or
    // rollback leaves its changes here, which must not be published with the next request's save on the same context.
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => _pending.Remove(eventData.Context!);

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var ids = new HashSet<Guid>();
        Guid organisation = default;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var id = entry.Entity switch
            {
                Objective o => o.Id,
                KeyResult k => k.ObjectiveId,
                CheckIn c => c.KeyResultId,
                ObjectiveLink l => l.ChildObjectiveId,
                Initiative i => i.ObjectiveId,
                Comment c => c.ObjectiveId,
                Team t => t.Id,
                Cycle c => c.Id,
                _ => Guid.Empty,
            };
            if (id != Guid.Empty && entry.Entity is IOrganisationOwned owned)
            {
                ids.Add(id);
                organisation = owned.OrganisationId;
            }
        }

        if (ids.Count > 0)
        {
            if (_pending.TryGetValue(context, out var earlier) && earlier.Lease == context.ContextId)
            {
                ids.UnionWith(earlier.Change.EntityIds);
            }

            _pending.AddOrUpdate(context, new Pending(context.ContextId, new OkrChanged(organisation, ids)));
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is null || context.Database.CurrentTransaction is not null)
        {
            return;
        }

        Publish(context);
    }

    private void Publish(DbContext context)
    {
        if (_pending.TryGetValue(context, out var pending))
        {
            _pending.Remove(context);
            if (pending.Lease == context.ContextId)
            {
                updates.Publish(pending.Change);
            }
        }
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Publish(context);
        }
    }

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
    }

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private sealed record Pending(DbContextId Lease, OkrChanged Change);
}
