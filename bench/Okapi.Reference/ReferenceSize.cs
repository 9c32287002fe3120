namespace Okapi.Reference;

/// <summary>
/// How big the reference organisation is. PRODUCT.md §5 names it at 10,000 people; every count follows
/// <see cref="People"/> linearly, and the KPI history (including the minute-valued KPI's) is multiplied by
/// <see cref="ValueScale"/> as well, so that a small organisation for a test need not carry millions of values.
/// </summary>
public sealed record ReferenceSize(int People, double ValueScale = 1)
{
    public const int ReferencePeople = 10_000;

    /// <summary>The organisation of PRODUCT.md §5.</summary>
    public static readonly ReferenceSize Reference = new(ReferencePeople);

    /// <summary>The fraction of the reference organisation this one is.</summary>
    public double Scale => (double)People / ReferencePeople;

    /// <summary>1,500 at the reference size; never fewer than a company, two divisions, four departments and eight teams.</summary>
    public int Teams => Math.Max(15, Scaled(1_500));

    /// <summary>Objectives of one cycle: three per team, the rest owned by people (7,500 at the reference size, 30,000 over four cycles).</summary>
    public int ObjectivesPerCycle => Math.Max(3 * Teams + 4, Scaled(7_500));

    /// <summary>Key results come three or four to an objective: 100,000 at the reference size.</summary>
    public static int KeyResultsOf(int objectiveIndex) => objectiveIndex % 3 == 0 ? 4 : 3;

    /// <summary>About ten check-ins a key result over the four cycles: 1,000,000 at the reference size.</summary>
    public const double CheckInsPerKeyResult = 10;

    /// <summary>5,000 at the reference size; about three per team, the rest owned by people.</summary>
    public int Kpis => Math.Max(10, Scaled(5_000));

    /// <summary>Every KPI value, the minute KPI's included: 20,000,000 at the reference size.</summary>
    public long KpiValues => Math.Max(Kpis * 10L, (long)Math.Round(20_000_000 * Scale * ValueScale));

    /// <summary>The minute-valued KPI's history: a year of minutes (525,600) at the reference size.</summary>
    public int MinuteValues => Math.Max(60, (int)Math.Round(525_600 * Scale * ValueScale));

    /// <summary>How far back the other KPIs' histories reach.</summary>
    public static readonly TimeSpan KpiHistory = TimeSpan.FromDays(730);

    private int Scaled(int atReference) => (int)Math.Round(atReference * Scale);
}
