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
/// <param name="CycleId">The cycle reported on.</param>
/// <param name="CycleName">The cycle's name.</param>
/// <param name="Start">The cycle's first day.</param>
/// <param name="End">The cycle's last day.</param>
/// <param name="CycleState">The cycle's state: `planning`, `active` or `closed`.</param>
/// <param name="TeamId">The team reported on; null for the company's report.</param>
/// <param name="TeamName">The team's name, or `Company` for the company's report.</param>
/// <param name="Closed">Whether the scope (the team, or the whole cycle) was closed: grades and progress then come from the close's snapshot.</param>
/// <param name="ClosedAt">When the scope was closed (UTC); null while open.</param>
/// <param name="AsOf">The instant the report describes: now, or the moment of the close.</param>
/// <param name="Objectives">The objectives on this page, ordered as at the close, then by team and title.</param>
/// <param name="ObjectiveCount">How many objectives the report covers, over all pages.</param>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">Objectives per page; without paging, all of them.</param>
/// <param name="Teams">A line per owning team, over all the report's objectives, by team name.</param>
/// <param name="Distribution">How the key results' grades spread, over all the report's objectives.</param>
/// <param name="ProgressOverTime">Progress at the end of each week of the cycle so far.</param>
/// <param name="Participation">Check-in participation per week of the cycle so far.</param>
/// <param name="Findings">The first 100 lint findings in the report's scope (the cycle, and the team when given).</param>
/// <param name="FindingCount">How many lint findings there are in all.</param>
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
/// <param name="TeamId">The team.</param>
/// <param name="TeamName">The team's name.</param>
/// <param name="Objectives">How many of the report's objectives the team owns.</param>
/// <param name="MeanProgress">The mean progress of those objectives, 0 to 1.</param>
/// <param name="MeanGrade">The mean grade of those objectives, 0 to 1.</param>
public sealed record ReportTeamDto(Guid TeamId, string TeamName, int Objectives, double MeanProgress, double MeanGrade);

/// <summary>An objective's line in a report, with its key results.</summary>
/// <param name="Id">The objective.</param>
/// <param name="Title">The objective's title.</param>
/// <param name="OwnerTeamId">The owning team, if a team owns it.</param>
/// <param name="OwnerPersonId">The owning person, if a person owns it.</param>
/// <param name="OwnerName">The owner's name (team or person); empty when unknown.</param>
/// <param name="Progress">Progress, 0 to 1; for a closed scope, as it stood at the close.</param>
/// <param name="Forecast">The projected progress at the cycle's end, 0 to 1; null in a row from a close's snapshot.</param>
/// <param name="Status">From the forecast: `onTrack`, `atRisk` or `offTrack`; null in a row from a close's snapshot, or before the cycle starts.</param>
/// <param name="Grade">The grade, 0 to 1 in steps of 0.1: given at the close, or the progress rounded.</param>
/// <param name="GradeColour">The grade's band: `red`, `yellow` or `green`.</param>
/// <param name="Retrospective">The retrospective note kept at the close, if any.</param>
/// <param name="Frozen">Whether the row comes from a close's snapshot rather than from live scores.</param>
/// <param name="LatestNote">The latest check-in note on any of its key results, for presentation mode.</param>
/// <param name="LatestNoteAt">When that note was written (UTC); null without one.</param>
/// <param name="KeyResults">Its key results.</param>
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

/// <summary>A key result's line in a report.</summary>
/// <param name="Id">The key result.</param>
/// <param name="Title">The key result's title.</param>
/// <param name="OwnerPersonId">The owning person, if any.</param>
/// <param name="OwnerName">The owner's name; empty without one.</param>
/// <param name="Type">How progress is measured: `increaseTo`, `decreaseTo`, `stayAbove`, `stayBelow`, `milestone` or `commitTargetStretch`.</param>
/// <param name="Unit">The unit of its values, if any.</param>
/// <param name="Start">The value progress is measured from.</param>
/// <param name="Target">The value that means full progress.</param>
/// <param name="Current">The current value (for a closed scope, the value at the close).</param>
/// <param name="Weight">How much it counts in its objective's progress.</param>
/// <param name="Progress">Progress of the current value, 0 to 1.</param>
/// <param name="Attainment">How much of the way from start to target is covered, not capped (1.2 is 120 %).</param>
/// <param name="Status">From the forecast: `onTrack`, `atRisk` or `offTrack`; null in a row from a close's snapshot, or before the cycle starts.</param>
/// <param name="Forecast">The projected progress at the cycle's end; null in a row from a close's snapshot.</param>
/// <param name="Grade">The grade, 0 to 1 in steps of 0.1: given at the close, or the progress rounded.</param>
/// <param name="GradeColour">The grade's band: `red`, `yellow` or `green`.</param>
/// <param name="GradeReason">Why the grade differs from the grade of the progress, when it was overridden at the close.</param>
/// <param name="LatestNote">Its latest check-in note, if any.</param>
public sealed record ReportKeyResultDto(
    Guid Id, string Title, Guid? OwnerPersonId, string OwnerName, KeyResultType Type, string? Unit,
    double Start, double Target, double Current, double Weight,
    double Progress, double Attainment, OkrStatus? Status, double? Forecast, double Grade, GradeColour GradeColour,
    string? GradeReason, string? LatestNote);

/// <summary>The key results' grades over 0.0–1.0 (<see cref="Buckets"/>, one count each) against the sweet spot.</summary>
/// <param name="Buckets">The grade each count stands for: 0.0, 0.1, … 1.0.</param>
/// <param name="Counts">How many key results got each bucket's grade, in the order of `buckets`.</param>
/// <param name="Total">How many key results were graded.</param>
/// <param name="Mean">The mean grade; null when none were graded.</param>
/// <param name="SweetSpotShare">The share of grades within the sweet spot, 0 to 1.</param>
/// <param name="SweetSpotLow">The sweet spot's lowest grade (0.6).</param>
/// <param name="SweetSpotHigh">The sweet spot's highest grade (0.7).</param>
public sealed record GradeDistributionDto(
    IReadOnlyList<double> Buckets, IReadOnlyList<int> Counts, int Total, double? Mean, double SweetSpotShare,
    double SweetSpotLow, double SweetSpotHigh)
{
    public static GradeDistributionDto From(GradeDistribution d) =>
        new(GradeDistribution.Buckets, d.Counts, d.Total, d.Mean, d.SweetSpotShare, GradeDistribution.SweetSpotLow, GradeDistribution.SweetSpotHigh);

    public GradeDistribution ToDistribution() => new(Counts, Total, Mean, SweetSpotShare);
}

/// <summary>Progress at the end of a week of the cycle (the running week: now), overall and per objective with key results.</summary>
/// <param name="Week">The week's number in the cycle, from 1.</param>
/// <param name="Start">When the week starts.</param>
/// <param name="End">When the week ends.</param>
/// <param name="AsOf">The instant progress is taken at: the week's end, or now for the running week.</param>
/// <param name="Overall">The overall progress of the report's objectives then, 0 to 1.</param>
/// <param name="Objectives">Each objective's progress then; empty in the company's report.</param>
public sealed record ProgressWeekDto(int Week, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset AsOf, double Overall, IReadOnlyList<ObjectiveProgressDto> Objectives);

/// <summary>An objective's progress at one instant.</summary>
/// <param name="ObjectiveId">The objective.</param>
/// <param name="Progress">Its progress then, 0 to 1.</param>
public sealed record ObjectiveProgressDto(Guid ObjectiveId, double Progress);

/// <summary>Check-ins in a week, and the share of the report's key results, and of their owners, that got one.</summary>
/// <param name="Week">The week's number in the cycle, from 1.</param>
/// <param name="Start">When the week starts.</param>
/// <param name="End">When the week ends.</param>
/// <param name="CheckIns">How many check-ins were made that week.</param>
/// <param name="KeyResultsCheckedIn">How many of the key results got at least one check-in.</param>
/// <param name="KeyResults">How many key results the report covers.</param>
/// <param name="KeyResultShare">`keyResultsCheckedIn` over `keyResults`, 0 to 1.</param>
/// <param name="OwnersCheckedIn">How many of the key results' owners checked in at least once.</param>
/// <param name="Owners">How many people own the report's key results.</param>
/// <param name="OwnerShare">`ownersCheckedIn` over `owners`, 0 to 1.</param>
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
