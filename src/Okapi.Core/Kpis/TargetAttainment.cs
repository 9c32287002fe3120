namespace Okapi.Core.Kpis;

/// <summary>How close a KPI's value is to its target: 1.0 = on the target, 1.2 = 20 % better than it.</summary>
public readonly record struct TargetAttainment(double Ratio)
{
    /// <summary>KPI + target is a success metric where 90–100 % attainment is expected.</summary>
    public const double OnTargetRatio = 0.9;

    // Rounding makes a value exactly 10 % off come out a hair under 0.9 (1 − 2.1 / 21); people expect it on target.
    public bool IsOnTarget => Ratio >= OnTargetRatio - 1e-9;

    /// <summary>
    /// value / target when higher is better, target / value when lower is better. Within a band the target is
    /// the ideal point and attainment is 1 − |value − target| / |target|, floored at 0: a value within 10 % of
    /// the target either way is on target, and, like the other two, a miss on either side lowers it.
    /// Null when there is no target or the ratio has a zero denominator. The ratios assume values and
    /// target of the same sign, as KPIs with targets are.
    /// </summary>
    public static TargetAttainment? Of(double value, double? target, KpiDirection direction)
    {
        if (target is not { } t || !double.IsFinite(value) || !double.IsFinite(t))
        {
            return null;
        }

        double? ratio = direction switch
        {
            KpiDirection.HigherIsBetter => t == 0 ? null : value / t,
            KpiDirection.LowerIsBetter => value == 0 ? null : t / value,
            KpiDirection.WithinBand => t == 0 ? null : Math.Max(0, 1 - Math.Abs(value - t) / Math.Abs(t)),
            _ => null,
        };
        // Values stored before the storable range existed can overflow the ratio; such an attainment means nothing.
        return ratio is { } r && double.IsFinite(r) ? new TargetAttainment(r) : null;
    }
}
