using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Okapi.Core.Auditing;
using Okapi.Core.Organisations;
using Okapi.Data.Identity;

namespace Okapi.Data.Configuration;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.Property(a => a.EntityType).HasMaxLength(100);
        b.Property(a => a.ActorName).HasMaxLength(200);
        b.Property(a => a.Changes).HasMaxLength(100_000);
        b.HasIndex(a => new { a.OrganisationId, a.At });
        b.HasIndex(a => a.EntityId);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Hash).HasMaxLength(64);
        b.Property(t => t.Prefix).HasMaxLength(16);
        b.PrimitiveCollection(t => t.Scopes);
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasOne<Person>().WithMany().HasForeignKey(t => t.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> b)
    {
        b.HasOne<Organisation>().WithMany().HasForeignKey(a => a.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
