using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Data;
using Okapi.Web.Features.Access;

namespace Okapi.Web.Infrastructure.Instances;

/// <summary>
/// Announces the saves that other instances' caches depend on (who is calling: <see cref="CallerCache"/>; which KPIs
/// rules and key results watch: <c>KpiWatchers</c>; KPIs: <c>KpiLookup</c>) with <c>pg_notify</c> inside the save's
/// transaction, which PostgreSQL delivers when it commits and drops when it rolls back. A save without a transaction
/// (a single statement) announces right after it. Saves of anything else announce nothing here.
/// </summary>
public sealed class ChangeAnnouncer(InstanceChanges changes) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    // Keyed by context and marked with its lease, as LiveUpdateInterceptor does: contexts are pooled.
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    private sealed record Pending(DbContextId Lease, Dictionary<Guid, ChangeNotice> Notices);

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context) is { Count: > 0 } notices)
        {
            context.Database.OpenConnection();
            try
            {
                InstanceChanges.Notify(context.Database.GetDbConnection(), null, notices);
            }
            finally
            {
                context.Database.CloseConnection();
            }
        }

        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        // Inside a transaction the notices wait for its commit; without one the save is committed already.
        if (eventData.Context is { } context && context.Database.CurrentTransaction is null && Take(context) is { Count: > 0 } notices)
        {
            await context.Database.OpenConnectionAsync(CancellationToken.None);
            try
            {
                await InstanceChanges.NotifyAsync(context.Database.GetDbConnection(), null, notices, CancellationToken.None);
            }
            finally
            {
                await context.Database.CloseConnectionAsync();
            }
        }

        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Drop(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (eventData.Context is { } context && Take(context) is { Count: > 0 } notices)
        {
            InstanceChanges.Notify(transaction.Connection!, transaction, notices);
        }

        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Take(context) is { Count: > 0 } notices)
        {
            await InstanceChanges.NotifyAsync(transaction.Connection!, transaction, notices, cancellationToken);
        }

        return result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Drop(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Drop(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var fallback = (context as OkapiDbContext)?.OrganisationId ?? Guid.Empty;
        var notices = _pending.TryGetValue(context, out var earlier) && earlier.Lease == context.ContextId ? earlier.Notices : [];
        ChangeNotice Of(Guid organisationId) =>
            notices.TryGetValue(organisationId, out var notice) ? notice : new ChangeNotice { From = changes.Id, OrganisationId = organisationId == Guid.Empty ? null : organisationId };

        var changed = false;
        if (CallerCacheInvalidation.ChangesCallers(context.ChangeTracker))
        {
            notices[fallback] = Of(fallback) with { Callers = true };
            changed = true;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case AlertRule or KeyResult:
                    var owner = ((IOrganisationOwned)entry.Entity).OrganisationId is var id && id != Guid.Empty ? id : fallback;
                    notices[owner] = Of(owner) with { Rules = true };
                    changed = true;
                    break;
                case Kpi kpi:
                    var organisationId = kpi.OrganisationId != Guid.Empty ? kpi.OrganisationId : fallback;
                    var notice = Of(organisationId);
                    notices[organisationId] = notice with { Kpis = [.. notice.Kpis.Append(kpi.Id).Distinct()] };
                    changed = true;
                    break;
            }
        }

        if (changed)
        {
            _pending.AddOrUpdate(context, new Pending(context.ContextId, notices));
        }
    }

    private List<ChangeNotice>? Take(DbContext context)
    {
        if (!_pending.TryGetValue(context, out var pending))
        {
            return null;
        }

        _pending.Remove(context);
        return pending.Lease == context.ContextId ? [.. pending.Notices.Values] : null;
    }

    private void Drop(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }
}
