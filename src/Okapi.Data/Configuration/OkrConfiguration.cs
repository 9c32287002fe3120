using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Data.Configuration;

internal sealed class ObjectiveConfiguration : IEntityTypeConfiguration<Objective>
{
    public void Configure(EntityTypeBuilder<Objective> b)
    {
        b.Property(o => o.Title).HasMaxLength(Objective.MaxTitleLength);
        b.Property(o => o.Description).HasMaxLength(Objective.MaxDescriptionLength);
        b.PrimitiveCollection(o => o.Tags);
        b.HasOne<Cycle>().WithMany().HasForeignKey(o => o.CycleId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Team>().WithMany().HasForeignKey(o => o.OwnerTeamId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Person>().WithMany().HasForeignKey(o => o.OwnerPersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Objective>().WithMany().HasForeignKey(o => o.ContinuedFromId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(o => new { o.OrganisationId, o.CycleId, o.OwnerTeamId });
        b.HasIndex(o => o.OwnerPersonId);
        b.Property(o => o.Retrospective).HasMaxLength(Objective.MaxDescriptionLength);
        b.Property(o => o.Key).HasMaxLength(Objective.MaxKeyLength);
        b.HasIndex(o => new { o.OrganisationId, o.Key }).IsUnique();
    }
}

internal sealed class ObjectiveLinkConfiguration : IEntityTypeConfiguration<ObjectiveLink>
{
    public void Configure(EntityTypeBuilder<ObjectiveLink> b)
    {
        b.HasOne<Objective>().WithMany().HasForeignKey(l => l.ChildObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Objective>().WithMany().HasForeignKey(l => l.ParentObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<KeyResult>().WithMany().HasForeignKey(l => l.ParentKeyResultId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(l => l.ChildObjectiveId);
        b.HasIndex(l => l.ParentObjectiveId);
    }
}

internal sealed class KeyResultConfiguration : IEntityTypeConfiguration<KeyResult>
{
    public void Configure(EntityTypeBuilder<KeyResult> b)
    {
        b.Property(k => k.Title).HasMaxLength(KeyResult.MaxTitleLength);
        b.Property(k => k.Unit).HasMaxLength(KeyResult.MaxUnitLength);
        b.Property(k => k.Checklist).HasConversion(
            v => JsonSerializer.Serialize(v, JsonSerializerOptions.Web),
            v => JsonSerializer.Deserialize<List<ChecklistItem>>(v, JsonSerializerOptions.Web) ?? new List<ChecklistItem>(),
            new ValueComparer<List<ChecklistItem>>(
                (a, c) => a!.SequenceEqual(c!),
                v => v.Aggregate(0, (h, i) => HashCode.Combine(h, i.GetHashCode())),
                v => v.ToList()));
        b.HasOne<Objective>().WithMany().HasForeignKey(k => k.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(k => k.OwnerPersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Okapi.Core.Kpis.Kpi>().WithMany().HasForeignKey(k => k.KpiId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(k => k.ObjectiveId);
        b.HasIndex(k => k.KpiId);
        b.HasIndex(k => k.OwnerPersonId);
        b.Property(k => k.GradeReason).HasMaxLength(KeyResult.MaxGradeReasonLength);
        b.Property(k => k.Key).HasMaxLength(Objective.MaxKeyLength);
        b.HasIndex(k => new { k.ObjectiveId, k.Key }).IsUnique();
        b.HasOne<KeyResult>().WithMany().HasForeignKey(k => k.ContinuedFromId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class CheckInConfiguration : IEntityTypeConfiguration<CheckIn>
{
    public void Configure(EntityTypeBuilder<CheckIn> b)
    {
        b.Property(c => c.Note).HasMaxLength(CheckIn.MaxNoteLength);
        b.HasOne<KeyResult>().WithMany().HasForeignKey(c => c.KeyResultId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(c => new { c.KeyResultId, c.At });
    }
}

internal sealed class InitiativeConfiguration : IEntityTypeConfiguration<Initiative>
{
    public void Configure(EntityTypeBuilder<Initiative> b)
    {
        b.Property(i => i.Title).HasMaxLength(Initiative.MaxTitleLength);
        b.HasOne<Objective>().WithMany().HasForeignKey(i => i.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<KeyResult>().WithMany().HasForeignKey(i => i.KeyResultId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(i => i.OwnerPersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(i => i.ObjectiveId);
    }
}

internal sealed class CommentConfiguration : IEntityTypeConfiguration<Comment>
{
    public void Configure(EntityTypeBuilder<Comment> b)
    {
        b.Property(c => c.Body).HasMaxLength(Comment.MaxBodyLength);
        b.HasOne<Objective>().WithMany().HasForeignKey(c => c.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<KeyResult>().WithMany().HasForeignKey(c => c.KeyResultId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Comment>().WithMany().HasForeignKey(c => c.ParentCommentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(c => c.AuthorId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(c => c.ObjectiveId);
        b.HasOne<CheckIn>().WithMany().HasForeignKey(c => c.CheckInId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.CheckInId);
        b.PrimitiveCollection(c => c.MentionedPersonIds);
    }
}

internal sealed class ObjectiveReviewConfiguration : IEntityTypeConfiguration<ObjectiveReview>
{
    public void Configure(EntityTypeBuilder<ObjectiveReview> b)
    {
        b.Property(r => r.Message).HasMaxLength(10_000);
        b.Property(r => r.Note).HasMaxLength(10_000);
        b.HasOne<Objective>().WithMany().HasForeignKey(r => r.ObjectiveId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(r => r.ReviewerId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(r => r.RequestedById).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(r => r.ObjectiveId);
        b.HasIndex(r => new { r.ReviewerId, r.State });
    }
}

internal sealed class CycleClosingConfiguration : IEntityTypeConfiguration<CycleClosing>
{
    public void Configure(EntityTypeBuilder<CycleClosing> b)
    {
        b.Property(c => c.ClosedByName).HasMaxLength(200);
        b.HasOne<Cycle>().WithMany().HasForeignKey(c => c.CycleId).OnDelete(DeleteBehavior.Restrict);
        // One close per team and cycle, and one company close per cycle.
        b.HasIndex(c => new { c.CycleId, c.TeamId }).IsUnique().HasFilter("\"TeamId\" IS NOT NULL");
        b.HasIndex(c => c.CycleId).IsUnique().HasFilter("\"TeamId\" IS NULL").HasDatabaseName("IX_CycleClosings_CompanyPerCycle");
    }
}

internal sealed class ClosedScoreConfiguration : IEntityTypeConfiguration<ClosedScore>
{
    public void Configure(EntityTypeBuilder<ClosedScore> b)
    {
        b.Property(s => s.Title).HasMaxLength(Objective.MaxTitleLength);
        b.Property(s => s.OwnerName).HasMaxLength(200);
        b.Property(s => s.Unit).HasMaxLength(KeyResult.MaxUnitLength);
        b.Property(s => s.OverrideReason).HasMaxLength(KeyResult.MaxGradeReasonLength);
        b.Property(s => s.Retrospective).HasMaxLength(Objective.MaxDescriptionLength);
        // No key to the objective: the snapshot outlives whatever happens to the live rows.
        b.HasOne<CycleClosing>().WithMany().HasForeignKey(s => s.ClosingId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.CycleId, s.ObjectiveId });
        b.HasIndex(s => s.ClosingId);
    }
}
