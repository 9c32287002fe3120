using Okapi.Core.Lint;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;

namespace Okapi.Web.Features.Reports;

/// <summary>
/// A cycle's report for one team (its own objectives) or for the company (every team's). <see cref="Closed"/>: the
/// scope was closed, and grades and progress are those of the close's snapshot, taken as of <see cref="AsOf"/>.
/// <see cref="Objectives"/> is one page (<see cref="Page"/>, <see cref="PageSize"/>) of <see cref="ObjectiveCount"/>;
/// the distribution, progress, participation and <see cref="Teams"/> cover them all. <see cref="Findings"/> holds the
/// first <see cref="MaxFindings"/> of <see cref="FindingCount"/>.
/// </summary>
public sealed record CycleReportDto(
    Guid CycleId, string CycleName, DateOnly Start, DateOnly End, CycleState CycleState,
    Guid? TeamId, string TeamName, bool Closed, DateTime? ClosedAt, DateTimeOffset AsOf,
    IReadOnlyList<ReportObjectiveDto> Objectives, int ObjectiveCount, int Page, int PageSize,
    IReadOnlyList<ReportTeamDto> Teams,
    GradeDistributionDto Distribution,
    IReadOnlyList<ProgressWeekDto> ProgressOverTime,
    IReadOnlyList<ParticipationWeekDto> Participation,
    IReadOnlyList<LintFinding> Findings, int FindingCount)
{
    public const int MaxFindings = 100;
}

/// <summary>A page of a report's objectives, numbered from 1.</summary>
public sealed record ReportPaging(int Number, int Size)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 200;

    public static readonly ReportPaging First = new(1, DefaultSize);

    /// <summary>The page asked for, brought into range (size 1–200, page from 1); none when neither was given.</summary>
    public static ReportPaging? Of(int? page, int? pageSize) =>
        page is null && pageSize is null ? null : new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));
}

/// <summary>A team's line in the report: its objectives, their mean progress and mean grade.</summary>
public sealed record ReportTeamDto(Guid TeamId, string TeamName, int Objectives, double MeanProgress, double MeanGrade);

/// <param name="Frozen">Whether the row comes from a close's snapshot rather than from live scores.</param>
/// <param name="LatestNote">The latest check-in note on any of its key results, for presentation mode.</param>
public sealed record ReportObjectiveDto(
    Guid Id, string Title, Guid? OwnerTeamId, Guid? OwnerPersonId, string OwnerName,
    double Progress, double? Forecast, OkrStatus? Status, double Grade, GradeColour GradeColour,
    bool Frozen, string? Retrospective, string? LatestNote, DateTime? LatestNoteAt,
    IReadOnlyList<ReportKeyResultDto> KeyResults);

/// <summary>An objective aligned under a report's objective (or one of its key results) that rolls up into it.</summary>
/// <param name="ThroughKeyResult">The title of the parent's key result it is aligned to, when it is aligned to one.</param>
public sealed record ReportChildDto(
    Guid Id, Guid ParentId, string Title, string OwnerName, double Progress, OkrStatus? Status, double Grade, GradeColour GradeColour,
    string? ThroughKeyResult);

/// <param name="GradeReason">Why the grade differs from the grade of the progress, when it was overridden at the close.</param>
public sealed record ReportKeyResultDto(
    Guid Id, string Title, Guid? OwnerPersonId, string OwnerName, KeyResultType Type, string? Unit,
    double Start, double Target, double Current, double Weight,
    double Progress, double Attainment, OkrStatus? Status, double? Forecast, double Grade, GradeColour GradeColour,
    string? GradeReason, string? LatestNote);

/// <summary>The key results' grades over 0.0–1.0 (<see cref="Buckets"/>, one count each) against the sweet spot.</summary>
public sealed record GradeDistributionDto(
    IReadOnlyList<double> Buckets, IReadOnlyList<int> Counts, int Total, double? Mean, double SweetSpotShare,
    double SweetSpotLow, double SweetSpotHigh)
{
    public static GradeDistributionDto From(GradeDistribution d) =>
        new(GradeDistribution.Buckets, d.Counts, d.Total, d.Mean, d.SweetSpotShare, GradeDistribution.SweetSpotLow, GradeDistribution.SweetSpotHigh);

    public GradeDistribution ToDistribution() => new(Counts, Total, Mean, SweetSpotShare);
}

/// <summary>Progress at the end of a week of the cycle (the running week: now), overall and per objective with key results.</summary>
public sealed record ProgressWeekDto(int Week, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset AsOf, double Overall, IReadOnlyList<ObjectiveProgressDto> Objectives);

public sealed record ObjectiveProgressDto(Guid ObjectiveId, double Progress);

/// <summary>Check-ins in a week, and the share of the report's key results, and of their owners, that got one.</summary>
public sealed record ParticipationWeekDto(
    int Week, DateTimeOffset Start, DateTimeOffset End, int CheckIns,
    int KeyResultsCheckedIn, int KeyResults, double KeyResultShare, int OwnersCheckedIn, int Owners, double OwnerShare)
{
    public static ParticipationWeekDto From(WeekParticipation p) => new(
        p.Week.Number, p.Week.Start, p.Week.End, p.CheckIns, p.KeyResultsCheckedIn, p.KeyResults, p.KeyResultShare,
        p.OwnersCheckedIn, p.Owners, p.OwnerShare);
}

public enum ExportFormat
{
    Csv,
    Xlsx,
}
