using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Okapi.Web.Infrastructure;

/// <summary>
/// An in-memory cache's link to the writes made through a context: <see cref="Forget"/> runs when a save starts, again
/// when it has been saved, and once more when the transaction it was saved in commits, so that a read meanwhile (which
/// sees the old rows until the commit) cannot keep what the save replaces.
/// </summary>
public abstract class ForgetOnSave : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Drops what the context's tracked entries may change.</summary>
    protected abstract void Forget(DbContext context);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ForgetFor(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ForgetFor(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ForgetFor(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ForgetFor(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => ForgetFor(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetFor(eventData.Context);
        return Task.CompletedTask;
    }

    private void ForgetFor(DbContext? context)
    {
        if (context is not null)
        {
            Forget(context);
        }
    }
}
