namespace Okapi.Core;

/// <summary>
/// What a number Okapi stores and computes with may be: finite and at most <see cref="MaxMagnitude"/> either way, and,
/// where a computation divides by the distance between two levels (a key result's start and target), levels at least
/// <see cref="Resolution"/> of their magnitude apart. Within these bounds every ratio Okapi computes is finite, so every
/// answer can be written as JSON; <see cref="Bound"/> keeps results finite for rows stored before the bounds existed.
/// </summary>
public static class StorableNumber
{
    /// <summary>
    /// Larger than any count, amount or measure an organisation tracks, and small enough that a sum of millions of
    /// such numbers and the difference of two of them stay exact to the cent and far from overflowing.
    /// </summary>
    public const double MaxMagnitude = 1e15;

    /// <summary>
    /// The smallest relative distance between two levels (of magnitude 1 at least): about a million times the
    /// precision of a double, so that their difference is a number and not a rounding error.
    /// </summary>
    public const double Resolution = 1e-9;

    public static bool IsStorable(double value) => double.IsFinite(value) && Math.Abs(value) <= MaxMagnitude;

    /// <summary>Whether <paramref name="from"/> and <paramref name="to"/> are far enough apart to divide by their distance.</summary>
    public static bool AreApart(double from, double to) =>
        double.IsFinite(from) && double.IsFinite(to)
        && Math.Abs(to / 2 - from / 2) >= Resolution / 2 * Math.Max(1, Math.Max(Math.Abs(from), Math.Abs(to)));

    /// <summary>A computed result made finite: not a number counts as nothing, an overflow as the largest storable number.</summary>
    public static double Bound(double value) => double.IsNaN(value) ? 0 : Math.Clamp(value, -MaxMagnitude, MaxMagnitude);
}
