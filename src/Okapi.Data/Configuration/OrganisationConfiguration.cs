using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Okapi.Core.Organisations;

namespace Okapi.Data.Configuration;

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(o => o.Name).HasMaxLength(Organisation.MaxNameLength);
        b.Property(o => o.Slug).HasMaxLength(100);
        b.HasIndex(o => o.Slug).IsUnique();
        b.Property(o => o.TimeZone).HasMaxLength(100);
        b.Property(o => o.Vision).HasMaxLength(Organisation.MaxVisionLength);
        b.PrimitiveCollection(o => o.EmailDomains);
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.Property(t => t.Name).HasMaxLength(Team.MaxNameLength);
        b.HasOne<Team>().WithMany().HasForeignKey(t => t.ParentTeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        b.Property(t => t.Key).HasMaxLength(Okapi.Core.Okrs.Objective.MaxKeyLength);
        b.HasIndex(t => new { t.OrganisationId, t.Key }).IsUnique();
    }
}

internal sealed class TeamMembershipConfiguration : IEntityTypeConfiguration<TeamMembership>
{
    public void Configure(EntityTypeBuilder<TeamMembership> b)
    {
        b.HasKey(m => new { m.TeamId, m.PersonId });
        b.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => m.PersonId);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.Property(p => p.Name).HasMaxLength(Person.MaxNameLength);
        b.Property(p => p.Email).HasMaxLength(Person.MaxEmailLength);
        b.HasIndex(p => new { p.OrganisationId, p.Email }).IsUnique();
        b.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CycleConfiguration : IEntityTypeConfiguration<Cycle>
{
    public void Configure(EntityTypeBuilder<Cycle> b)
    {
        b.Property(c => c.Name).HasMaxLength(Cycle.MaxNameLength);
        b.HasOne<Cycle>().WithMany().HasForeignKey(c => c.ParentCycleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(c => c.OrganisationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.OrganisationId, c.Start });
        b.Property(c => c.Key).HasMaxLength(Okapi.Core.Okrs.Objective.MaxKeyLength);
        b.HasIndex(c => new { c.OrganisationId, c.Key }).IsUnique();
    }
}
