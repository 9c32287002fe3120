using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Okapi.Core;
using Okapi.Core.Alerts;
using Okapi.Core.Auditing;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;
using Okapi.Data.Identity;

namespace Okapi.Data;

/// <summary>Turns tracked changes into audit events, before they are saved.</summary>
internal static class AuditLog
{
    private static readonly HashSet<string> Ignored =
        [nameof(IVersioned.Version), nameof(Entity.CreatedAt), nameof(Entity.UpdatedAt), nameof(ApiToken.Hash), nameof(ApiToken.LastUsedAt),
            // Bookkeeping that machines update on every value or run; auditing it would bury the changes people make.
            nameof(Kpi.LatestAt), nameof(Kpi.LatestValue), nameof(KpiSource.NextRunAt), nameof(KpiSource.LastRunAt),
            nameof(KpiSource.LastSuccessAt), nameof(KpiSource.LastError), nameof(KpiSource.LockedUntil),
            nameof(Alert.LastValue), nameof(Alert.LastNotifiedAt)];

    /// <summary>Secrets, encrypted or not: the audit says that they changed, never their value.</summary>
    private static readonly HashSet<string> Secret = [nameof(KpiSource.ProtectedHeaderValue), nameof(Channel.ProtectedSecret)];

    private const string Withheld = "(secret)";

    public static List<AuditEvent> Collect(OkapiDbContext db, DateTime now)
    {
        var pending = new List<AuditEvent>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !IsAudited(entry.Entity))
            {
                continue;
            }

            var changes = new Dictionary<string, object?>();
            foreach (var property in entry.Properties)
            {
                var name = property.Metadata.Name;
                if (Ignored.Contains(name) || name == nameof(IOrganisationOwned.OrganisationId))
                {
                    continue;
                }

                var shown = Secret.Contains(name) ? (Func<object?, object?>)Withhold : Bounded;
                switch (entry.State)
                {
                    case EntityState.Added:
                        changes[Camel(name)] = new { after = shown(property.CurrentValue) };
                        break;
                    case EntityState.Deleted:
                        changes[Camel(name)] = new { before = shown(property.OriginalValue) };
                        break;
                    case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                        changes[Camel(name)] = new { before = shown(property.OriginalValue), after = shown(property.CurrentValue) };
                        break;
                }
            }

            if (entry.State == EntityState.Modified && changes.Count == 0)
            {
                continue;
            }

            var organisationId = entry.Entity switch
            {
                Organisation o => o.Id,
                IOrganisationOwned owned => owned.OrganisationId,
                _ => db.OrganisationId,
            };
            pending.Add(new AuditEvent
            {
                OrganisationId = organisationId,
                At = now,
                ActorId = db.ActorId,
                ActorName = db.ActorName,
                EntityType = entry.Metadata.ClrType.Name,
                EntityId = EntityId(entry),
                Action = entry.State switch
                {
                    EntityState.Added => AuditAction.Create,
                    EntityState.Deleted => AuditAction.Delete,
                    _ => AuditAction.Update,
                },
                Changes = JsonSerializer.Serialize(changes, Json),
                Reason = db.AuditReason,
            });
        }

        return pending;
    }

    private static bool IsAudited(object entity) =>
        entity is IOrganisationOwned or Organisation && entity is not (AuditEvent or Delivery or Notification or ScheduledJob or InboxItem or ClosedScore);

    private static Guid EntityId(EntityEntry entry) => entry.Entity switch
    {
        TeamMembership m => m.TeamId,
        _ => entry.Properties.FirstOrDefault(p => p.Metadata.Name == "Id")?.CurrentValue as Guid? ?? Guid.Empty,
    };

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>Long texts (descriptions, notes) are kept to their start, so that an event always fits its column.</summary>
    private static object? Bounded(object? value) =>
        value is string { Length: > MaxTextLength } text ? text[..MaxTextLength] + "…" : value;

    private const int MaxTextLength = 2_000;

    private static object? Withhold(object? value) => value is null ? null : Withheld;

    // Unescaped non-ASCII text: a description in Greek or Japanese stays the size it is.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
