namespace Okapi.Core.Scoring;

/// <summary>
/// How a set of grades spreads over 0.0–1.0 in steps of 0.1, against the 0.6–0.7 sweet spot of a good stretch
/// goal: mostly 1.0 means the goals were too easy, mostly below 0.4 that they were out of reach.
/// </summary>
/// <param name="Counts">How many grades fell in each bucket: 0.0, 0.1, … 1.0, in that order.</param>
/// <param name="Total">How many grades there are.</param>
/// <param name="Mean">The mean grade; null when there are none.</param>
/// <param name="SweetSpotShare">The share of grades within the 0.6–0.7 sweet spot, 0 to 1.</param>
public sealed record GradeDistribution(IReadOnlyList<int> Counts, int Total, double? Mean, double SweetSpotShare)
{
    public const double SweetSpotLow = 0.6;
    public const double SweetSpotHigh = 0.7;

    /// <summary>The grade each bucket stands for: 0.0, 0.1, …, 1.0.</summary>
    public static IReadOnlyList<double> Buckets { get; } = Enumerable.Range(0, 11).Select(i => i / 10.0).ToArray();

    public static bool InSweetSpot(double grade) => Grades.Grade(grade) is >= SweetSpotLow - 1e-9 and <= SweetSpotHigh + 1e-9;

    public static GradeDistribution Of(IEnumerable<double> grades)
    {
        var counts = new int[11];
        var list = grades.Select(Grades.Grade).ToList();
        foreach (var grade in list)
        {
            counts[(int)Math.Round(grade * 10)]++;
        }

        return new GradeDistribution(
            counts,
            list.Count,
            list.Count == 0 ? null : list.Average(),
            list.Count == 0 ? 0 : (double)list.Count(InSweetSpot) / list.Count);
    }
}
