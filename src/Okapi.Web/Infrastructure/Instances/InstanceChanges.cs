using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Okapi.Data;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Kpis;

namespace Okapi.Web.Infrastructure.Instances;

/// <summary>
/// Several instances on one PostgreSQL database: what one commits is announced to the others with <c>NOTIFY</c> on
/// <see cref="Channel"/>, and what the others announce is applied here (<see cref="Apply"/>): caches forget, pages
/// refresh. Changes that caches depend on are announced inside the transaction that makes them
/// (<see cref="ChangeAnnouncer"/>), so they arrive exactly when they are committed and never when rolled back. Page
/// refreshes (check-ins, KPI values, alerts) are announced from <see cref="LiveUpdates"/> after the commit, gathered
/// for <see cref="Coalesce"/> per organisation, so a stream of KPI values costs a value POST no extra statement.
/// </summary>
public sealed class InstanceChanges
{
    public const string Channel = "okapi_changes";

    /// <summary>How long page refreshes are gathered before one notice per organisation goes out.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);

    private readonly string _connectionString;
    private readonly LiveUpdates _live;
    private readonly CallerCache _callers;
    private readonly KpiWatchers _watchers;
    private readonly KpiLookup _lookup;
    private readonly IServiceScopeFactory _scopes;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _queued = new(0, 1);
    private Dictionary<Guid, (HashSet<Guid> Okrs, HashSet<Guid> Values)> _pages = [];

    public InstanceChanges(DatabaseOptions database, LiveUpdates live, CallerCache callers, KpiWatchers watchers, KpiLookup lookup, IServiceScopeFactory scopes)
    {
        _connectionString = database.ResolveConnectionString();
        (_live, _callers, _watchers, _lookup, _scopes) = (live, callers, watchers, lookup, scopes);
        live.OkrsChangedHere += change => Queue(change.OrganisationId, change.EntityIds, okrs: true);
        live.KpisChangedHere += change => Queue(change.OrganisationId, change.KpiIds, okrs: false);
    }

    /// <summary>This instance, as its notices name it: its own notices come back to it and are ignored.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>What the listening connection calls itself in <c>pg_stat_activity</c>.</summary>
    public const string ListenerName = "Okapi listener";

    /// <summary>The connection string for the listening connection: outside the pool, which it would hold for good.</summary>
    public string ListenConnectionString =>
        new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, KeepAlive = 30, ApplicationName = ListenerName }.ConnectionString;

    /// <summary>Sends notices on a connection, inside <paramref name="transaction"/> when given (delivered when it commits).</summary>
    public static async Task NotifyAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<ChangeNotice> notices, CancellationToken ct)
    {
        if (notices.Count > 0)
        {
            await using var command = NotifyCommand(connection, transaction, notices);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <inheritdoc cref="NotifyAsync"/>
    public static void Notify(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<ChangeNotice> notices)
    {
        if (notices.Count > 0)
        {
            using var command = NotifyCommand(connection, transaction, notices);
            command.ExecuteNonQuery();
        }
    }

    // One statement for all of a transaction's notices, whatever their number.
    private static DbCommand NotifyCommand(DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<ChangeNotice> notices)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_notify('{Channel}', p) FROM unnest(@payloads) AS p";
        command.Parameters.Add(new NpgsqlParameter("payloads", notices.Select(n => n.ToPayload()).ToArray()));
        return command;
    }

    /// <summary>Waits until a page refresh is queued for other instances.</summary>
    public Task WaitForQueuedAsync(CancellationToken ct) => _queued.WaitAsync(ct);

    /// <summary>Sends the queued page refreshes, one notice per organisation, on a pooled connection.</summary>
    public async Task SendQueuedAsync(CancellationToken ct)
    {
        Dictionary<Guid, (HashSet<Guid> Okrs, HashSet<Guid> Values)> pages;
        lock (_lock)
        {
            (pages, _pages) = (_pages, []);
        }

        if (pages.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        await NotifyAsync(connection, null, pages.Select(p => new ChangeNotice
        {
            From = Id,
            OrganisationId = p.Key,
            Okrs = [.. p.Value.Okrs],
            Values = [.. p.Value.Values],
        }).ToList(), ct);
    }

    /// <summary>Applies another instance's notice: forgets what it changed and refreshes the pages that show it.</summary>
    public void Apply(ChangeNotice notice)
    {
        if (notice.From == Id)
        {
            return;
        }

        if (notice.Callers || notice.Everything)
        {
            _callers.Clear();
        }

        if (notice.Rules || notice.Everything)
        {
            if (notice.OrganisationId is { } changed)
            {
                _watchers.Forget(changed);
            }
            else
            {
                _watchers.Clear();
            }
        }

        if (notice.Everything)
        {
            _lookup.Clear();
        }

        _lookup.Forget(notice.Kpis);
        if (notice.OrganisationId is not { } organisationId)
        {
            return;
        }

        if (notice.Okrs.Count > 0 || notice.AllPages || notice.Everything)
        {
            _live.Relay(new OkrChanged(organisationId, notice.Okrs.ToHashSet()));
        }

        if (notice.Kpis.Count > 0 || notice.Values.Count > 0 || notice.AllPages || notice.Everything)
        {
            _live.Relay(new KpiChanged(organisationId, notice.Kpis.Concat(notice.Values).ToHashSet()));
        }
    }

    /// <summary>
    /// After the listening connection was lost, notices may have gone unheard: every cache forgets everything, and
    /// with <paramref name="refreshPages"/> every open page of every organisation refreshes.
    /// </summary>
    public async Task AssumeMissedAsync(bool refreshPages, CancellationToken ct)
    {
        _callers.Clear();
        _watchers.Clear();
        _lookup.Clear();
        if (!refreshPages)
        {
            return;
        }

        List<Guid> organisations;
        await using (var scope = _scopes.CreateAsyncScope())
        {
            organisations = await scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Organisations.AsNoTracking().Select(o => o.Id).ToListAsync(ct);
        }

        foreach (var organisationId in organisations)
        {
            Apply(new ChangeNotice { From = Guid.Empty, OrganisationId = organisationId, AllPages = true });
        }
    }

    private void Queue(Guid organisationId, IReadOnlySet<Guid> ids, bool okrs)
    {
        lock (_lock)
        {
            if (!_pages.TryGetValue(organisationId, out var page))
            {
                _pages[organisationId] = page = ([], []);
            }

            (okrs ? page.Okrs : page.Values).UnionWith(ids);
        }

        try
        {
            _queued.Release();
        }
        catch (SemaphoreFullException)
        {
            // A send is already due; it takes this change along.
        }
    }
}
