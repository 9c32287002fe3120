using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Core.Auditing;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data.Identity;

namespace Okapi.Data;

/// <summary>
/// Okapi's data layer. Every tenant-owned row is filtered by <see cref="OrganisationId"/>, and every
/// save stamps versions and times and writes the audit log in the same transaction. Contexts are pooled: one serves
/// request after request, so what a request sets on it is forgotten when the next one rents it (<see cref="ForgetCaller"/>).
/// </summary>
public abstract class OkapiDbContext(DbContextOptions options)
    : IdentityDbContext<Account, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    /// <summary>The organisation whose rows this context sees. Empty sees nothing.</summary>
    public Guid OrganisationId { get; set; }

    /// <summary>Who is making changes, for the audit log.</summary>
    public Guid? ActorId { get; set; }
    public string? ActorName { get; set; }

    /// <summary>A reason to record with the next audited save (e.g. a grade override).</summary>
    public string? AuditReason { get; set; }

    // A pooled context takes nothing but its options, so its clock comes from the application's services (a test's fake
    // clock among them); a context made without them, as at design time, has the system's.
    public TimeProvider Clock { get; } =
        options.FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<TimeProvider>() ?? TimeProvider.System;

    /// <summary>
    /// Back to a context that sees no organisation and records no actor, as a pooled context is rented: whatever the
    /// previous request set must never reach the next one, which may be another organisation's.
    /// </summary>
    internal void ForgetCaller()
    {
        OrganisationId = Guid.Empty;
        ActorId = null;
        ActorName = null;
        AuditReason = null;
    }

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMembership> TeamMemberships => Set<TeamMembership>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Cycle> Cycles => Set<Cycle>();
    public DbSet<Objective> Objectives => Set<Objective>();
    public DbSet<ObjectiveLink> ObjectiveLinks => Set<ObjectiveLink>();
    public DbSet<KeyResult> KeyResults => Set<KeyResult>();
    public DbSet<CheckIn> CheckIns => Set<CheckIn>();
    public DbSet<Initiative> Initiatives => Set<Initiative>();
    public DbSet<Comment> Comments => Set<Comment>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Kpi> Kpis => Set<Kpi>();
    public DbSet<KpiValue> KpiValues => Set<KpiValue>();
    public DbSet<KpiDay> KpiDays => Set<KpiDay>();
    public DbSet<KpiSource> KpiSources => Set<KpiSource>();
    public DbSet<AlertRule> AlertRules => Set<AlertRule>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<AllowedHost> AllowedHosts => Set<AllowedHost>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<ObjectiveReview> ObjectiveReviews => Set<ObjectiveReview>();
    public DbSet<CycleClosing> CycleClosings => Set<CycleClosing>();
    public DbSet<ClosedScore> ClosedScores => Set<ClosedScore>();
    public DbSet<ScheduledJob> ScheduledJobs => Set<ScheduledJob>();
    public DbSet<InboxItem> InboxItems => Set<InboxItem>();

    /// <summary>The values of a KPI of the context's organisation, by its id (values are keyed by the KPI's number).</summary>
    public IQueryable<KpiValue> ValuesOf(Guid kpiId) => KpiValues.Where(v => Kpis.Any(k => k.Id == kpiId && k.Number == v.KpiNumber));

    /// <summary>Cookie-signing keys, shared by every app instance on the same database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(4000);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(OkapiDbContext).Assembly);

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IOrganisationOwned).IsAssignableFrom(t.ClrType)))
        {
            var filter = typeof(OkapiDbContext).GetMethod(nameof(TenantFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type.ClrType).Invoke(this, null);
            builder.Entity(type.ClrType).HasQueryFilter((LambdaExpression)filter!);
            builder.Entity(type.ClrType).HasIndex(nameof(IOrganisationOwned.OrganisationId));
        }

        foreach (var type in builder.Model.GetEntityTypes().Where(t => typeof(IVersioned).IsAssignableFrom(t.ClrType)))
        {
            builder.Entity(type.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
        }
    }

    private Expression<Func<T, bool>> TenantFilter<T>() where T : IOrganisationOwned =>
        e => e.OrganisationId == OrganisationId;

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await NumberNewKpisAsync(cancellationToken);
        var now = Clock.GetUtcNow().UtcDateTime;
        StampChanges(now);
        AuditEvents.AddRange(AuditLog.Collect(this, now));
        AuditReason = null;
        return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The sequence (a one-row table on SQLite) that <see cref="Kpi.Number"/>s are taken from.</summary>
    public const string KpiNumbers = "KpiNumbers";

    /// <summary>
    /// Gives each new KPI its <see cref="Kpi.Number"/> from the database's sequence, so that numbers stay unique across
    /// processes and instances; a number taken by a save that then fails is simply never used.
    /// </summary>
    private async Task NumberNewKpisAsync(CancellationToken ct)
    {
        var added = ChangeTracker.Entries<Kpi>().Where(e => e.State == EntityState.Added)
            .Select(e => e.Property(k => k.Number)).Where(n => n.IsTemporary || n.CurrentValue == 0).ToList();
        if (added.Count == 0)
        {
            return;
        }

        var numbers = await TakeKpiNumbersAsync(added.Count, ct);
        for (var i = 0; i < added.Count; i++)
        {
            added[i].CurrentValue = numbers[i];
            added[i].IsTemporary = false;
        }
    }

    /// <summary><paramref name="count"/> unused KPI numbers, in the current transaction if there is one.</summary>
    public abstract Task<IReadOnlyList<long>> TakeKpiNumbersAsync(int count, CancellationToken ct);

    private void StampChanges(DateTime now)
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry is { State: EntityState.Modified or EntityState.Deleted, Entity: CycleClosing or ClosedScore })
            {
                throw new InvalidOperationException("A closed cycle's snapshot is immutable: it is written once, when the cycle closes.");
            }

            if (entry is { State: EntityState.Added, Entity: IOrganisationOwned owned } && owned.OrganisationId == Guid.Empty)
            {
                owned.OrganisationId = OrganisationId;
            }

            if (entry.Entity is Entity entity)
            {
                if (entry.State == EntityState.Added)
                {
                    entity.CreatedAt = entity.CreatedAt == default ? now : entity.CreatedAt;
                    entity.UpdatedAt = now;
                }
                else if (entry.State == EntityState.Modified)
                {
                    entity.UpdatedAt = now;
                }
            }

            if (entry is { State: EntityState.Modified, Entity: IVersioned versioned })
            {
                versioned.Version++;
            }
        }
    }
}

/// <summary>
/// SQLite drops the kind of a DateTime; everything Okapi stores is UTC, so every DateTime read (entities and
/// projections alike) comes back as <see cref="DateTimeKind.Utc"/> and converts to an instant as it is.
/// </summary>
public sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

public sealed class SqliteOkapiDbContext(DbContextOptions<SqliteOkapiDbContext> options) : OkapiDbContext(options)
{
    public override void Dispose()
    {
        SqliteWriteGate.LetGo(this);
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        SqliteWriteGate.LetGo(this);
        return base.DisposeAsync();
    }

    /// <summary>SQLite has no sequences: one row holds the last number given, moved on by one atomic statement.</summary>
    public override async Task<IReadOnlyList<long>> TakeKpiNumbersAsync(int count, CancellationToken ct)
    {
        var last = (await Database.SqlQuery<long>($"UPDATE \"KpiNumbers\" SET \"Last\" = \"Last\" + {count} RETURNING \"Last\"").ToListAsync(ct)).Single();
        return Enumerable.Range(0, count).Select(i => last - count + 1 + i).ToList();
    }
}

public sealed class PostgresOkapiDbContext(DbContextOptions<PostgresOkapiDbContext> options) : OkapiDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasSequence<long>(KpiNumbers);
        // A default from the sequence rather than an identity column: rows written straight into the table get numbers too.
        builder.Entity<Kpi>().Property(k => k.Number).HasDefaultValueSql($"nextval('\"{KpiNumbers}\"')");
    }

    public override async Task<IReadOnlyList<long>> TakeKpiNumbersAsync(int count, CancellationToken ct) =>
        await Database.SqlQuery<long>($"SELECT nextval('\"KpiNumbers\"') FROM generate_series(1, {count})").ToListAsync(ct);
}
