using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Okapi.Data;

/// <summary>
/// Lines up this process's writers of one SQLite database before SQLite's own lock. SQLite lets one writer in at a
/// time, and a writer that finds the lock taken sleeps and tries again, up to 100 ms between tries: under a steady
/// stream of KPI values, whose group commits hold the lock most of the time, an alert's transition or a delivery's
/// receipt lost the race again and again and waited hundreds of milliseconds. Here writers wait in turn and the next
/// one starts the moment the one before it ends.
/// <para>
/// A transaction holds the gate from its start to its end (every save runs in one, see
/// <see cref="DataServiceCollectionExtensions"/>); a bulk update or delete outside a transaction holds it for its
/// statement. The gate goes back when the transaction ends, when its connection closes or is disposed, and at the
/// latest when its context is disposed: a transaction abandoned without a commit or a rollback on a connection opened by
/// hand ends with no event of its own, and a pooled context keeps its connection. A writer that waits longer than <see cref="MaxWait"/> goes on without it and falls back on SQLite's own
/// waiting, so the gate can delay a write but never stop it.
/// </para>
/// </summary>
internal sealed class SqliteWriteGate : DbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    // One gate per database file: the app has one, a test process many.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    // The connections that hold their database's gate, and that gate.
    private static readonly ConditionalWeakTable<DbConnection, SemaphoreSlim> Holders = [];

    // The connection each context entered through, so that a disposed context can let go without asking for it.
    private static readonly ConditionalWeakTable<DbContext, DbConnection> Contexts = [];

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await EnterAsync(connection, eventData.Context, cancellationToken);
        return result;
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection, eventData.Context);
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(ConnectionOf(eventData));

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Left(ConnectionOf(eventData));

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(ConnectionOf(eventData));

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Left(ConnectionOf(eventData));

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(ConnectionOf(eventData));

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Left(ConnectionOf(eventData));

    async ValueTask<InterceptionResult<int>> IDbCommandInterceptor.NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken)
    {
        if (command.Transaction is null)
        {
            await EnterAsync(command.Connection!, eventData.Context, cancellationToken);
        }

        return result;
    }

    InterceptionResult<int> IDbCommandInterceptor.NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (command.Transaction is null)
        {
            Enter(command.Connection!, eventData.Context);
        }

        return result;
    }

    ValueTask<int> IDbCommandInterceptor.NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken)
    {
        LeaveStatement(command);
        return ValueTask.FromResult(result);
    }

    int IDbCommandInterceptor.NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        LeaveStatement(command);
        return result;
    }

    void IDbCommandInterceptor.CommandFailed(DbCommand command, CommandErrorEventData eventData) => LeaveStatement(command);

    Task IDbCommandInterceptor.CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken)
    {
        LeaveStatement(command);
        return Task.CompletedTask;
    }

    Task IDbCommandInterceptor.CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken)
    {
        LeaveStatement(command);
        return Task.CompletedTask;
    }

    void IDbCommandInterceptor.CommandCanceled(DbCommand command, CommandEndEventData eventData) => LeaveStatement(command);

    // A transaction disposed without a commit or a rollback ends with its connection: the gate goes with it.
    InterceptionResult IDbConnectionInterceptor.ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return result;
    }

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return ValueTask.FromResult(result);
    }

    InterceptionResult IDbConnectionInterceptor.ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return result;
    }

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return ValueTask.FromResult(result);
    }

    /// <summary>Gives the gate back if the context's connection still holds it: the context is done with it.</summary>
    public static void LetGo(DbContext context)
    {
        if (Contexts.TryGetValue(context, out var connection))
        {
            Contexts.Remove(context);
            Leave(connection);
        }
    }

    private static async Task EnterAsync(DbConnection connection, DbContext? context, CancellationToken ct)
    {
        if (!Holders.TryGetValue(connection, out _) && GateOf(connection) is var gate && await gate.WaitAsync(MaxWait, ct))
        {
            Hold(connection, context, gate);
        }
    }

    private static void Enter(DbConnection connection, DbContext? context)
    {
        if (!Holders.TryGetValue(connection, out _) && GateOf(connection) is var gate && gate.Wait(MaxWait))
        {
            Hold(connection, context, gate);
        }
    }

    private static void Hold(DbConnection connection, DbContext? context, SemaphoreSlim gate)
    {
        Holders.AddOrUpdate(connection, gate);
        if (context is not null)
        {
            Contexts.AddOrUpdate(context, connection);
        }
    }

    // Not the transaction's: SQLite's forgets its connection once it ends.
    private static DbConnection? ConnectionOf(DbContextEventData eventData) => eventData.Context?.Database.GetDbConnection();

    private static SemaphoreSlim GateOf(DbConnection connection) => Gates.GetOrAdd(connection.DataSource, _ => new SemaphoreSlim(1, 1));

    // Inside a transaction a statement leaves nothing: the transaction holds the gate.
    private static void LeaveStatement(DbCommand command)
    {
        if (command.Transaction is null)
        {
            Leave(command.Connection);
        }
    }

    private static Task Left(DbConnection? connection)
    {
        Leave(connection);
        return Task.CompletedTask;
    }

    private static void Leave(DbConnection? connection)
    {
        if (connection is not null && Holders.TryGetValue(connection, out var gate) && Holders.Remove(connection))
        {
            gate.Release();
        }
    }
}
