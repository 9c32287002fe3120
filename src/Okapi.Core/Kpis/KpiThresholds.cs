namespace Okapi.Core.Kpis;

/// <summary>
/// Warning and critical bounds of a KPI. A lower bound is crossed when the value is below it, an upper bound
/// when the value is above it; a value equal to a bound has not crossed it.
/// </summary>
public sealed record KpiThresholds(
    double? WarningLower = null,
    double? WarningUpper = null,
    double? CriticalLower = null,
    double? CriticalUpper = null)
{
    /// <summary>
    /// Ok, warning or critical for <paramref name="value"/>. Only the bad side of <paramref name="direction"/>
    /// counts: lower bounds for higher-is-better, upper bounds for lower-is-better, both within a band.
    /// </summary>
    public KpiHealth Classify(double value, KpiDirection direction)
    {
        var checksLower = direction is KpiDirection.HigherIsBetter or KpiDirection.WithinBand;
        var checksUpper = direction is KpiDirection.LowerIsBetter or KpiDirection.WithinBand;
        if ((checksLower && value < CriticalLower) || (checksUpper && value > CriticalUpper))
        {
            return KpiHealth.Critical;
        }

        if ((checksLower && value < WarningLower) || (checksUpper && value > WarningUpper))
        {
            return KpiHealth.Warning;
        }

        return KpiHealth.Ok;
    }

    /// <summary>Adds to <paramref name="errors"/> what makes these thresholds meaningless for <paramref name="direction"/>.</summary>
    public ValidationErrors Validate(KpiDirection direction, ValidationErrors errors)
    {
        errors.Finite(WarningLower, "warningLower").Finite(WarningUpper, "warningUpper")
            .Finite(CriticalLower, "criticalLower").Finite(CriticalUpper, "criticalUpper");

        // A bound on the good side would be ignored by Classify; refusing it beats storing a silent no-op.
        if (direction == KpiDirection.HigherIsBetter)
        {
            errors.Require(WarningUpper is null, "warningUpper", "has no meaning for a higher-is-better KPI; use 'within band' to bound both sides.")
                .Require(CriticalUpper is null, "criticalUpper", "has no meaning for a higher-is-better KPI; use 'within band' to bound both sides.");
        }

        if (direction == KpiDirection.LowerIsBetter)
        {
            errors.Require(WarningLower is null, "warningLower", "has no meaning for a lower-is-better KPI; use 'within band' to bound both sides.")
                .Require(CriticalLower is null, "criticalLower", "has no meaning for a lower-is-better KPI; use 'within band' to bound both sides.");
        }

        // Critical lies further out than warning, or warning could never show before critical.
        errors.Require(!(CriticalLower > WarningLower), "criticalLower", "must be less than or equal to warningLower.")
            .Require(!(CriticalUpper < WarningUpper), "criticalUpper", "must be greater than or equal to warningUpper.");

        if (direction == KpiDirection.WithinBand)
        {
            var lowest = Max(WarningLower, CriticalLower);
            var highest = Min(WarningUpper, CriticalUpper);
            errors.Require(!(lowest > highest), "thresholds", "every lower threshold must be less than or equal to every upper threshold.");
        }

        return errors;
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
