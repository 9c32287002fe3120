using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Data.Configuration;

internal sealed class KpiConfiguration : IEntityTypeConfiguration<Kpi>
{
    public void Configure(EntityTypeBuilder<Kpi> b)
    {
        b.Property(k => k.Name).HasMaxLength(Kpi.MaxNameLength);
        b.Property(k => k.Key).HasMaxLength(Kpi.MaxKeyLength);
        b.Property(k => k.Description).HasMaxLength(Kpi.MaxDescriptionLength);
        b.Property(k => k.Unit).HasMaxLength(Kpi.MaxUnitLength);
        b.PrimitiveCollection(k => k.Tags);
        b.HasIndex(k => new { k.OrganisationId, k.Key }).IsUnique();
        // Given when first saved (OkapiDbContext takes it from a sequence); until then new KPIs hold temporary numbers.
        b.HasAlternateKey(k => k.Number);
        b.Property(k => k.Number).ValueGeneratedOnAdd();
        b.HasOne<Team>().WithMany().HasForeignKey(k => k.OwnerTeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(k => k.OwnerPersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Organisation>().WithMany().HasForeignKey(k => k.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KpiValueConfiguration : IEntityTypeConfiguration<KpiValue>
{
    public void Configure(EntityTypeBuilder<KpiValue> b)
    {
        // The key is the series order: range reads are one index scan, and (KPI, instant) is unique by construction.
        b.HasKey(v => new { v.KpiNumber, v.At });

        // Ticks rather than text: a quarter of SQLite's bytes per row, and integer comparisons for range queries.
        b.Property(v => v.At).HasConversion(v => v.Ticks, v => new DateTime(v, DateTimeKind.Utc));
        b.HasOne<Kpi>().WithMany().HasForeignKey(v => v.KpiNumber).HasPrincipalKey(k => k.Number).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KpiDayConfiguration : IEntityTypeConfiguration<KpiDay>
{
    public void Configure(EntityTypeBuilder<KpiDay> b)
    {
        // Like the values, a KPI's days are read as one range of the key, and belong to the tenant through the KPI.
        b.HasKey(d => new { d.KpiId, d.Day });
        b.Property(d => d.LastAt).HasConversion(v => v.Ticks, v => new DateTime(v, DateTimeKind.Utc));
        b.HasOne<Kpi>().WithMany().HasForeignKey(d => d.KpiId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class KpiSourceConfiguration : IEntityTypeConfiguration<KpiSource>
{
    public void Configure(EntityTypeBuilder<KpiSource> b)
    {
        b.Property(s => s.Schedule).HasMaxLength(100);
        b.Property(s => s.Url).HasMaxLength(2000);
        b.Property(s => s.JsonPath).HasMaxLength(500);
        b.Property(s => s.ConnectionName).HasMaxLength(100);
        b.Property(s => s.Query).HasMaxLength(10_000);
        b.Property(s => s.LastError).HasMaxLength(2000);
        b.Property(s => s.HeaderName).HasMaxLength(KpiSource.MaxHeaderNameLength);
        // Data protection's payload is several times the plain text once encoded.
        b.Property(s => s.ProtectedHeaderValue).HasMaxLength(4 * KpiSource.MaxHeaderValueLength + 500);
        b.HasOne<Kpi>().WithMany().HasForeignKey(s => s.KpiId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => s.KpiId);
        b.HasIndex(s => s.NextRunAt);
    }
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> b)
    {
        b.Property(r => r.Name).HasMaxLength(AlertRule.MaxNameLength);
        b.PrimitiveCollection(r => r.ChannelIds);
        b.HasOne<Kpi>().WithMany().HasForeignKey(r => r.KpiId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => r.KpiId);
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.Property(a => a.Summary).HasMaxLength(1000);
        b.Property(a => a.AcknowledgementNote).HasMaxLength(2000);
        b.HasOne<AlertRule>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Kpi>().WithMany().HasForeignKey(a => a.KpiId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(a => a.AcknowledgedById).OnDelete(DeleteBehavior.SetNull);

        // At most one open alert per rule, whatever races: a second evaluation pass cannot open a twin.
        b.HasIndex(a => a.RuleId).IsUnique().HasFilter($"\"State\" <> {(int)AlertState.Resolved}").HasDatabaseName("IX_Alerts_OpenPerRule");
        b.HasIndex(a => new { a.KpiId, a.StartedAt });
        b.HasIndex(a => new { a.OrganisationId, a.State });
    }
}

internal sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> b)
    {
        b.Property(c => c.Name).HasMaxLength(Channel.MaxNameLength);
        b.Property(c => c.Target).HasMaxLength(Channel.MaxTargetLength);
        b.PrimitiveCollection(c => c.Events);
        b.PrimitiveCollection(c => c.TeamIds);
        b.Property(c => c.ProtectedSecret).HasMaxLength(Channel.MaxProtectedSecretLength);
    }
}

internal sealed class AllowedHostConfiguration : IEntityTypeConfiguration<AllowedHost>
{
    public void Configure(EntityTypeBuilder<AllowedHost> b)
    {
        b.Property(h => h.Host).HasMaxLength(300);
        b.HasIndex(h => new { h.OrganisationId, h.Host }).IsUnique();
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> b)
    {
        b.Property(d => d.Payload).HasMaxLength(100_000);
        b.Property(d => d.LastError).HasMaxLength(Delivery.MaxErrorLength);
        b.Property(d => d.Recipient).HasMaxLength(320);
        b.HasOne<Channel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Alert>().WithMany().HasForeignKey(d => d.AlertId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.State, d.NextAttemptAt });
        b.HasIndex(d => d.AlertId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.Title).HasMaxLength(300);
        b.Property(n => n.Body).HasMaxLength(4000);
        b.Property(n => n.Link).HasMaxLength(500);
        b.HasOne<Person>().WithMany().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.PersonId, n.CreatedAt });
    }
}
