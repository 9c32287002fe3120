namespace Okapi.Core.Scoring;

/// <summary>The rules of grading at a cycle's close: which grades may be given and how an objective's grade follows from its key results'.</summary>
public static class CloseGrades
{
    /// <summary>Grades are given in steps of 0.1 from 0.0 to 1.0 (PRODUCT.md §1).</summary>
    public static bool IsValid(double grade) =>
        double.IsFinite(grade) && grade is >= 0 and <= 1 && Math.Abs(grade * 10 - Math.Round(grade * 10)) < 1e-9;

    /// <summary>Whether a given grade differs from the proposed one, and so needs a reason.</summary>
    public static bool IsOverride(double proposed, double given) => Math.Abs(proposed - given) > 1e-9;

    /// <summary>
    /// An objective's grade from its key results' grades, weighted as progress is (the weighted mean), rounded to a
    /// grade. An objective without key results of its own takes the grade of its rolled-up progress.
    /// </summary>
    public static double ObjectiveGrade(IEnumerable<(double Grade, double Weight)> keyResults, double rolledUpProgress)
    {
        var list = keyResults.ToList();
        if (list.Count == 0)
        {
            return Grades.Grade(rolledUpProgress);
        }

        // Averaged in whole tenths: 0.7 and 0.2 make 0.45 exactly, which rounds up to 0.5 (in doubles it is 0.4499…).
        var tenths = AlignmentGraph.WeightedMean(list.Select(k => (Math.Round(Math.Clamp(k.Grade, 0, 1) * 10), k.Weight)));
        return Math.Round(tenths, MidpointRounding.AwayFromZero) / 10;
    }
}
