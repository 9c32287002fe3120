using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Okapi.Core.Organisations;
using Okapi.Core.Rhythm;

namespace Okapi.Data.Configuration;

internal sealed class ScheduledJobConfiguration : IEntityTypeConfiguration<ScheduledJob>
{
    public void Configure(EntityTypeBuilder<ScheduledJob> b)
    {
        b.Property(j => j.Kind).HasMaxLength(50);
        b.Property(j => j.Key).HasMaxLength(100);
        b.Property(j => j.LastError).HasMaxLength(2000);
        b.Property(j => j.Result).HasMaxLength(500);
        // The guarantee that an occurrence exists, and so runs, once.
        b.HasIndex(j => new { j.OrganisationId, j.Kind, j.Key }).IsUnique();
        b.HasIndex(j => new { j.State, j.DueAt });
    }
}

internal sealed class InboxItemConfiguration : IEntityTypeConfiguration<InboxItem>
{
    public void Configure(EntityTypeBuilder<InboxItem> b)
    {
        b.Property(i => i.Title).HasMaxLength(300);
        b.Property(i => i.Body).HasMaxLength(4000);
        b.Property(i => i.Link).HasMaxLength(500);
        b.HasOne<Person>().WithMany().HasForeignKey(i => i.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.PersonId, i.State, i.CreatedAt });
        b.HasIndex(i => new { i.Kind, i.SubjectId });
    }
}
