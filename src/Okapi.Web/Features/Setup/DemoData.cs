using Microsoft.AspNetCore.Identity;
using Okapi.Core.Alerts;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;
using Okapi.Core.Scoring;
using Okapi.Data;
using Okapi.Data.Identity;
using Okapi.Web.Features.Access;
using Okapi.Web.Features.Closing;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Setup;

using Organisation = Okapi.Core.Organisations.Organisation;

/// <summary>
/// The demo organisation: the OKR literature's familiar examples, turned into good OKRs, with a previous quarter
/// closed by its admin through the close (grades, an override with its reason, retrospectives, the snapshot) and
/// weeks of check-ins that make statuses and forecasts differ. One objective is weak on purpose.
/// </summary>
public sealed class DemoData(OkapiDbContext db, UserManager<Account> users, TimeProvider clock, Caller caller, ClosingService closing)
{
    private readonly Random _noise = new(20_27);
    private readonly Dictionary<string, Person> _people = [];
    private readonly Dictionary<string, Team> _teams = [];
    private readonly Dictionary<Guid, CheckIn> _newestCheckIns = [];

    public async Task SeedAsync(Organisation organisation, Person admin, CancellationToken ct)
    {
        organisation.Vision = "Get everyone outdoors, well equipped and safe.";
        var zone = organisation.FindTimeZone();
        var now = clock.GetUtcNow();
        var current = Cycle.Quarter(CycleWindow.DateOf(now, zone));
        var previous = Cycle.Quarter(current.Start.AddDays(-1));
        current.State = CycleState.Active;
        previous.State = CycleState.Active;
        db.Cycles.AddRange(previous, current);

        var company = db.Teams.Local.Single(t => t.ParentTeamId is null);
        _teams["company"] = company;
        AddPerson("maya", "Maya Okafor", Role.Admin, ("company", true));
        AddTeam("sales", "Sales", company, "Turn interest into happy, returning customers.");
        AddTeam("marketing", "Marketing", company, "Make Acme the outdoor brand people talk about.");
        AddTeam("success", "Customer Success", company, "Every customer contact is a reason to stay.");
        AddTeam("engineering", "Engineering", company, "A shop that is fast, reliable and safe.");
        AddTeam("performance", "Application Performance", _teams["engineering"], "Make every page feel instant.");
        AddPerson("liam", "Liam Chen", Role.Member, ("sales", true));
        AddPerson("sofia", "Sofia Rossi", Role.Member, ("sales", false));
        AddPerson("noah", "Noah Becker", Role.Member, ("sales", false));
        AddPerson("amara", "Amara Diallo", Role.Member, ("marketing", true));
        AddPerson("ethan", "Ethan Park", Role.Member, ("marketing", false));
        AddPerson("chloe", "Chloé Martin", Role.Member, ("marketing", false));
        AddPerson("priya", "Priya Nair", Role.Member, ("success", true));
        AddPerson("lucas", "Lucas Silva", Role.Member, ("success", false));
        AddPerson("hannah", "Hannah Müller", Role.Member, ("engineering", true));
        AddPerson("omar", "Omar Haddad", Role.Member, ("performance", true), ("engineering", false));
        AddPerson("grace", "Grace Kim", Role.Viewer);

        var window = current.Window(zone);

        // Company level.
        var satisfaction = Objective(current, "company", "maya", "Become the sector leader in customer satisfaction",
            "Customers who love us come back and bring their friends.", "retention");
        var csat = KeyResult(satisfaction, "priya", "Raise customer satisfaction from 30 % to 50 %", KeyResultType.IncreaseTo, "%", 30, 50);
        var churn = KeyResult(satisfaction, "priya", "Keep monthly churn below 2 %", KeyResultType.StayBelow, "%", 2.5, 2);
        var growth = Objective(current, "company", "maya", "Grow a profitable business our customers love",
            "Rolls up from Sales and Marketing: this objective has no key results of its own.", "revenue");

        // Sales: "Increase sales by 20 % this quarter", turned into a good objective.
        var delight = Objective(current, "sales", "liam", "Delight more customers into buying from us",
            "Our rewrite of \"increase sales by 20 %\": the number moved into the key results.", "revenue", "acquisition");
        var sales = KeyResult(delight, "sofia", "Grow the number of sales from 800 to 960 a quarter", KeyResultType.IncreaseTo, "sales", 800, 960);
        var customers = KeyResult(delight, "noah", "Win 120 new customers", KeyResultType.IncreaseTo, "customers", 0, 120);
        var orderValue = KeyResult(delight, "liam", "Raise the average order value from €80 to €92", KeyResultType.IncreaseTo, "€", 80, 92);
        Link(delight, growth, 2);

        // Marketing: brand awareness, SEO and content.
        var awareness = Objective(current, "marketing", "amara", "Increase brand awareness",
            "People who love the outdoors should know our name.", "awareness");
        var ctr = KeyResult(awareness, "ethan", "Lift the website click-through rate by 30 %, from 2.0 % to 2.6 %", KeyResultType.IncreaseTo, "%", 2.0, 2.6);
        var followers = KeyResult(awareness, "chloe", "Grow Instagram followers from 400,000 to 1 million", KeyResultType.IncreaseTo, "followers", 400_000, 1_000_000);
        Link(awareness, growth, 1);
        var seo = Objective(current, "marketing", "ethan", "Be found first by people searching for outdoor gear", null, "awareness", "seo");
        var keywords = KeyResult(seo, "ethan", "Rank in the top 3 for 20 priority keywords, up from 4", KeyResultType.IncreaseTo, "keywords", 4, 20);
        var organic = KeyResult(seo, "ethan", "Grow organic search visits from 40,000 to 60,000 a month", KeyResultType.IncreaseTo, "visits", 40_000, 60_000);
        Link(seo, awareness, 1);
        var content = Objective(current, "marketing", "chloe", "Become the trusted voice for outdoor beginners", null, "awareness", "content");
        var subscribers = KeyResult(content, "chloe", "Grow newsletter subscribers from 12,000 to 18,000", KeyResultType.IncreaseTo, "subscribers", 12_000, 18_000);
        var timeOnPage = KeyResult(content, "chloe", "Raise average time on guide pages from 1.8 to 3 minutes", KeyResultType.IncreaseTo, "min", 1.8, 3);
        Link(content, awareness, 1);

        // Customer success.
        var support = Objective(current, "success", "priya", "Make every support contact a reason to stay", null, "retention");
        var wait = KeyResult(support, "lucas", "Cut the average customer-service wait time from 10 to 4 minutes", KeyResultType.DecreaseTo, "min", 10, 4);
        var resolution = KeyResult(support, "priya", "Lift first-contact resolution from 62 % to 75 %", KeyResultType.IncreaseTo, "%", 62, 75);
        Link(support, satisfaction, 1);

        // Application performance: aligned to a key result and, without rolling up, to sales too.
        var instant = Objective(current, "performance", "omar", "Make our shop feel instant", null, "reliability");
        var loadTime = KeyResult(instant, "omar", "Cut the p95 checkout load time from 2.4 s to 1.2 s", KeyResultType.DecreaseTo, "s", 2.4, 1.2);
        var uptime = KeyResult(instant, "hannah", "Keep server uptime above 99.9 %", KeyResultType.StayAbove, "%", 99.95, 99.9);
        var cdn = KeyResult(instant, "omar", "Serve every product image from the new image CDN", KeyResultType.Milestone, null, 0, 1);
        cdn.Checklist = [new("Pick a CDN provider", true), new("Migrate product images", true), new("Switch the shop over", false), new("Retire the old image servers", false)];
        LinkToKeyResult(instant, csat);
        Link(instant, delight, 0.5, rollsUp: false);

        // A private objective: only Engineering and admins see it.
        var audit = Objective(current, "engineering", "hannah", "Pass the security audit without findings", "Private until the auditors report.", "security");
        audit.Visibility = Visibility.Private;
        var findings = KeyResult(audit, "hannah", "Close all 14 open penetration-test findings", KeyResultType.IncreaseTo, "findings", 0, 14);
        var mfa = KeyResult(audit, "hannah", "Enforce multi-factor sign-in for every admin account", KeyResultType.Milestone, null, 0, 1);

        // Deliberately weak: a number in the title, a single activity key result, aligned to nothing.
        var weak = Objective(current, "sales", "noah", "Increase sales by 20 % this quarter", "An example of what the OKR linter flags.");
        var training = KeyResult(weak, "noah", "Hold weekly sales training sessions", KeyResultType.IncreaseTo, "sessions", 0, 12);

        // Weekly check-ins; the pace factor decides whether a key result is on track, at risk or off track.
        CheckIns(churn, window, now, pace: 1.0, Confidence.OnTrack, stay: (2.4, 1.8));
        CheckIns(sales, window, now, pace: 1.1, Confidence.OnTrack);
        CheckIns(customers, window, now, pace: 0.65, Confidence.AtRisk);
        CheckIns(keywords, window, now, pace: 1.2, Confidence.OnTrack);
        CheckIns(organic, window, now, pace: 0.8, Confidence.AtRisk);
        CheckIns(subscribers, window, now, pace: 0.95, Confidence.OnTrack, stopWeeksAgo: 3); // stale
        CheckIns(timeOnPage, window, now, pace: 0.4, Confidence.OffTrack);
        CheckIns(resolution, window, now, pace: 1.0, Confidence.OnTrack);
        CheckIns(loadTime, window, now, pace: 0.7, Confidence.AtRisk);
        CheckIns(findings, window, now, pace: 1.0, Confidence.OnTrack);
        CheckIns(training, window, now, pace: 0.5, Confidence.AtRisk);
        CheckIns(cdn, window, now, pace: 0, null, milestoneValue: 0);
        CheckIns(mfa, window, now, pace: 0, Confidence.OnTrack, milestoneValue: 0);

        // KPIs with half a year of history. Key results that measure the same thing are linked and take their
        // check-ins from the KPI's values, so the two never disagree.
        var kpis = new DemoKpis(this, db, window, now);
        kpis.Add("Sales per week", "sales", "sofia", "sales", "Completed orders; the week's sum.", Cadence.Weekly, PeriodAggregation.Sum,
            KpiDirection.HigherIsBetter, warning: 50, critical: 40, target: 75, daily: true, decimals: 0, tags: ["revenue", "acquisition"],
            valueAt: t => 9 + 0.4 * t.Months, noise: 2.5);
        kpis.Add("Average order value", "sales", "liam", "€", "Revenue divided by orders; the week's average.", Cadence.Weekly, PeriodAggregation.Average,
            KpiDirection.HigherIsBetter, warning: 75, critical: 70, target: 92, daily: false, decimals: 2, tags: ["revenue"],
            linked: (orderValue, Pace: 0.2, Confidence.OnTrack)); // says on track, data say off: flagged
        var conversion = kpis.Add("Conversion rate", "sales", "noah", "%", "Share of shop visits that end in an order.", Cadence.Daily, PeriodAggregation.Average,
            KpiDirection.HigherIsBetter, warning: 2.4, critical: 2.0, target: 3.0, daily: true, decimals: 2, tags: ["acquisition", "shop"],
            // Steady near 2.9 % until a checkout change two weeks ago sent it below the critical threshold.
            valueAt: t => t.DaysAgo > 14 ? 2.9 : t.DaysAgo > 9 ? 2.9 - (14 - t.DaysAgo) * 0.2 : 1.85, noise: 0.12);
        kpis.Add("Website click-through rate", "marketing", "ethan", "%", "Clicks on our search and display ads per impression.", Cadence.Weekly, PeriodAggregation.Last,
            KpiDirection.HigherIsBetter, warning: 1.8, critical: 1.5, target: 2.6, daily: false, decimals: 2, tags: ["awareness", "ads"],
            linked: (ctr, Pace: 0.9, Confidence.OnTrack));
        kpis.Add("Customer satisfaction", "success", "priya", "%", "Share of survey answers rating us 9 or 10.", Cadence.Weekly, PeriodAggregation.Last,
            KpiDirection.HigherIsBetter, warning: 25, critical: 20, target: 50, daily: false, decimals: 1, tags: ["retention", "survey"],
            linked: (csat, Pace: 1.05, Confidence.OnTrack));
        kpis.Add("Leads per week", "marketing", "amara", "leads", "New sign-ups and quote requests; the week's sum.", Cadence.Weekly, PeriodAggregation.Sum,
            KpiDirection.HigherIsBetter, warning: 220, critical: 180, target: 300, daily: true, decimals: 0, tags: ["acquisition"],
            valueAt: t => 34 + 1.2 * t.Months, noise: 8);
        kpis.Add("Server uptime", "engineering", "hannah", "%", "Share of minutes the shop answered health checks.", Cadence.Daily, PeriodAggregation.Average,
            KpiDirection.HigherIsBetter, warning: 99.9, critical: 99.5, target: 99.95, daily: true, decimals: 3, tags: ["reliability"],
            linked: (uptime, Pace: 1.0, Confidence.OnTrack), stay: (99.94, 99.96));
        kpis.Add("Customer-service wait time", "success", "lucas", "min", "Average wait before a person answers chat or phone.", Cadence.Weekly, PeriodAggregation.Average,
            KpiDirection.LowerIsBetter, warning: 8, critical: 12, target: 4, daily: false, decimals: 1, tags: ["retention", "support"],
            linked: (wait, Pace: 0.85, Confidence.AtRisk));
        kpis.Add("Instagram followers", "marketing", "chloe", "followers", "Followers of @acmeoutfitters.", Cadence.Weekly, PeriodAggregation.Last,
            KpiDirection.HigherIsBetter, warning: 300_000, critical: 250_000, target: 1_000_000, daily: false, decimals: 0, tags: ["awareness", "social"],
            linked: (followers, Pace: 0.55, Confidence.AtRisk));

        // Only in-app notifications: a fresh instance sends nothing out until an admin adds a webhook or email channel.
        var inApp = new Channel { Name = "In-app", Kind = ChannelKind.InApp };
        db.Channels.Add(inApp);
        var rule = new AlertRule
        {
            KpiId = conversion.Id,
            Name = "Conversion rate below critical",
            Kind = AlertRuleKind.Threshold,
            Severity = AlertSeverity.Critical,
            ThresholdLevel = KpiHealth.Critical,
            PendingSeconds = 3600,
            ChannelIds = [inApp.Id],
        };
        db.AlertRules.Add(rule);
        var breach = kpis.FirstBreach(conversion);
        var firedAt = breach.At.AddSeconds(rule.PendingSeconds);
        db.Alerts.Add(new Alert
        {
            RuleId = rule.Id,
            KpiId = conversion.Id,
            State = AlertState.Firing,
            Severity = rule.Severity,
            StartedAt = breach.At,
            FiredAt = firedAt,
            LastNotifiedAt = firedAt,
            ValueAtStart = breach.Value,
            LastValue = conversion.LatestValue,
            Summary = $"Conversion rate is critical: {breach.Value:0.00} % is below {conversion.CriticalLower:0.0} %.",
        });

        // The previous quarter, closed below.
        var spring = Objective(previous, "sales", "liam", "Bring the new collection to every customer", null, "revenue");
        var lines = KeyResult(spring, "sofia", "Launch six new product lines online", KeyResultType.IncreaseTo, "product lines", 0, 6);
        lines.Current = 3;
        var loyalty = KeyResult(spring, "liam", "Launch the loyalty programme", KeyResultType.Milestone, null, 0, 1);
        loyalty.Current = 1;
        var returns = KeyResult(spring, "priya", "Reduce the return rate from 12 % to 8 %", KeyResultType.DecreaseTo, "%", 12, 8);
        returns.Current = 9.5;
        var reliability = Objective(previous, "performance", "omar", "Make checkout reliable", null, "reliability");
        var errors = KeyResult(reliability, "omar", "Cut checkout errors from 3 % to 0.5 %", KeyResultType.DecreaseTo, "%", 3, 0.5);
        errors.Current = 2.2;
        var previousWindow = previous.Window(zone);
        foreach (var kr in new[] { lines, loyalty, returns, errors })
        {
            AddCheckIn(kr, kr.Current!.Value, previousWindow.End.AddDays(-3), Confidence.AtRisk);
        }

        await db.SaveChangesAsync(ct);
        await kpis.SaveValuesAsync(ct);

        // Everyone gets a sign-in account without a password; an admin sets one (People in Admin, or the API).
        foreach (var person in _people.Values)
        {
            await users.CreateAsync(new Account { Id = person.Id, OrganisationId = organisation.Id, UserName = person.Email, Email = person.Email, EmailConfirmed = true });
        }

        // The admin closes the previous quarter for the company, as anyone would: grades from progress, one override
        // with its reason, a retrospective per objective.
        await caller.LoadAsync(admin, db, ct);
        var closed = await closing.CloseAsync(previous.Id, new CloseRequest(null,
            [new GradeRequest(errors.Id, 0.4, "Half of the remaining errors came from the payment provider's outage in week 9, which we could not prevent.")],
            [
                new RetrospectiveRequest(spring.Id, "Six product lines were too many for one quarter: three launched well, the others waited for photos. The loyalty programme beat its sign-up goal; returns fell but not enough."),
                new RetrospectiveRequest(reliability.Id, "Retries and better error pages cut errors by a third. Next quarter: a second payment provider as a fallback."),
            ], null, null), ct);
        if (closed.Failure is { } failure)
        {
            throw new InvalidOperationException($"The demo's previous quarter did not close: {failure.Describe()}");
        }

        db.ActorId = null;
        db.ActorName = null;

    }

    private void AddTeam(string key, string name, Team parent, string mission)
    {
        var team = new Team { Name = name, ParentTeamId = parent.Id, Mission = mission };
        _teams[key] = team;
        db.Teams.Add(team);
    }

    private void AddPerson(string key, string name, Role role, params (string Team, bool Lead)[] teams)
    {
        var person = new Person { Name = name, Email = $"{key}@acme.example", Role = role };
        _people[key] = person;
        db.People.Add(person);
        foreach (var (team, lead) in teams)
        {
            _teams[team].Members.Add(new TeamMembership { TeamId = _teams[team].Id, PersonId = person.Id, IsLead = lead });
        }
    }

    private Objective Objective(Cycle cycle, string team, string owner, string title, string? description, params string[] tags)
    {
        var objective = new Objective
        {
            Title = title,
            Description = description,
            CycleId = cycle.Id,
            OwnerTeamId = _teams[team].Id,
            OwnerPersonId = _people[owner].Id,
            Tags = [.. tags],
        };
        db.Objectives.Add(objective);
        return objective;
    }

    private KeyResult KeyResult(Objective objective, string owner, string title, KeyResultType type, string? unit, double start, double target)
    {
        var kr = new KeyResult { Title = title, ObjectiveId = objective.Id, OwnerPersonId = _people[owner].Id, Type = type, Unit = unit, Start = start, Target = target };
        db.KeyResults.Add(kr);
        return kr;
    }

    private void Link(Objective child, Objective parent, double weight, bool rollsUp = true) =>
        db.ObjectiveLinks.Add(new ObjectiveLink { ChildObjectiveId = child.Id, ParentObjectiveId = parent.Id, Weight = weight, RollsUp = rollsUp });

    private void LinkToKeyResult(Objective child, KeyResult parent) =>
        db.ObjectiveLinks.Add(new ObjectiveLink { ChildObjectiveId = child.Id, ParentKeyResultId = parent.Id, RollsUp = false });

    /// <summary>Weekly check-ins from the cycle's start until now, moving at <paramref name="pace"/> times the expected pace.</summary>
    private void CheckIns(KeyResult kr, CycleWindow window, DateTimeOffset now, double pace, Confidence? confidence,
        int stopWeeksAgo = 0, (double First, double Last)? stay = null, double? milestoneValue = null)
    {
        var last = now.AddDays(-7 * stopWeeksAgo);
        var weeks = 0;
        for (var at = window.Start.AddDays(6).AddHours(10); at <= last; at = at.AddDays(7))
        {
            weeks++;
        }

        for (var i = 1; i <= weeks; i++)
        {
            var at = window.Start.AddDays(6 + 7 * (i - 1)).AddHours(10);
            var share = Math.Clamp((at - window.Start) / window.Length, 0, 1);
            double value;
            if (milestoneValue is { } m)
            {
                value = m;
            }
            else if (stay is { } s)
            {
                value = Math.Round(s.First + (s.Last - s.First) * i / weeks + (_noise.NextDouble() - 0.5) * 0.02, 2);
            }
            else
            {
                var noise = (_noise.NextDouble() - 0.5) * 0.04 * (kr.Target - kr.Start);
                value = kr.Start + (kr.Target - kr.Start) * Math.Min(1.15, pace * share) + noise;
                // Counts stay whole numbers; rates and times keep two decimals.
                var whole = Math.Abs(kr.Target - kr.Start) >= 10 && kr.Start == Math.Floor(kr.Start) && kr.Target == Math.Floor(kr.Target);
                value = Math.Round(value, whole ? 0 : 2);
            }

            AddCheckIn(kr, value, at, confidence);
        }
    }

    private void AddCheckIn(KeyResult kr, double value, DateTimeOffset at, Confidence? confidence, CheckInSource source = CheckInSource.Person)
    {
        kr.CreatedAt = kr.CreatedAt == default || kr.CreatedAt > at.UtcDateTime.AddDays(-7) ? at.UtcDateTime.AddDays(-7) : kr.CreatedAt;
        var note = confidence == Confidence.AtRisk ? "Slower than planned; see the initiatives." : null;
        var checkIn = kr.RecordCheckIn(value, at.UtcDateTime, source, _newestCheckIns.GetValueOrDefault(kr.Id), confidence, note, kr.OwnerPersonId);
        db.CheckIns.Add(checkIn);
        if (!_newestCheckIns.TryGetValue(kr.Id, out var newest) || checkIn.At >= newest.At)
        {
            _newestCheckIns[kr.Id] = checkIn;
        }
    }

    /// <summary>Where a demo KPI's value is in its history, for the shapes of the series.</summary>
    private readonly record struct SeriesPoint(double Months, double DaysAgo);

    /// <summary>
    /// Builds the demo KPIs' series on one grid: values fall on the check-in instants of the current quarter
    /// (weekly KPIs) or every day at the same hour (daily ones), reaching back about seven months.
    /// </summary>
    private sealed class DemoKpis(DemoData demo, OkapiDbContext db, CycleWindow window, DateTimeOffset now)
    {
        private static readonly TimeSpan History = TimeSpan.FromDays(200);
        private readonly Dictionary<Guid, List<KpiValue>> _values = [];
        private readonly List<Kpi> _kpis = [];

        /// <summary>Stores the KPIs' values once the KPIs are saved: values are keyed by the number a KPI gets when saved.</summary>
        public async Task SaveValuesAsync(CancellationToken ct)
        {
            foreach (var kpi in _kpis)
            {
                _values[kpi.Id].ForEach(v => v.KpiNumber = kpi.Number);
                db.KpiValues.AddRange(_values[kpi.Id]);
            }

            await db.SaveChangesAsync(ct);
        }

        public Kpi Add(string name, string team, string owner, string unit, string description, Cadence cadence, PeriodAggregation aggregation,
            KpiDirection direction, double warning, double critical, double target, bool daily, int decimals, string[] tags,
            Func<SeriesPoint, double>? valueAt = null, double noise = 0,
            (KeyResult Kr, double Pace, Confidence Confidence)? linked = null, (double First, double Last)? stay = null)
        {
            var higher = direction == KpiDirection.HigherIsBetter;
            var kpi = new Kpi
            {
                Name = name,
                Key = string.Join('-', name.ToLowerInvariant().Split(' ', '-')),
                Description = description,
                OwnerTeamId = demo._teams[team].Id,
                OwnerPersonId = demo._people[owner].Id,
                Unit = unit,
                Direction = direction,
                Cadence = cadence,
                Aggregation = aggregation,
                WarningLower = higher ? warning : null,
                CriticalLower = higher ? critical : null,
                WarningUpper = higher ? null : warning,
                CriticalUpper = higher ? null : critical,
                Target = target,
                Tags = [.. tags],
            };
            db.Kpis.Add(kpi);

            var step = TimeSpan.FromDays(daily ? 1 : 7);
            // The first check-in instant of the quarter anchors the grid, so weekly values and check-ins coincide.
            var anchor = window.Start.AddDays(6).AddHours(10);
            var first = anchor - Math.Ceiling((anchor - (now - History)) / step) * step;
            var values = new List<KpiValue>();
            for (var at = first; at <= now; at += step)
            {
                var value = linked is { } l ? LinkedValue(l.Kr, l.Pace, stay, at) : valueAt!(new((at - first).TotalDays / 30.4, (now - at).TotalDays)) + (demo._noise.NextDouble() - 0.5) * 2 * noise;
                value = Math.Round(Math.Max(0, value), decimals);
                values.Add(new KpiValue { At = at.UtcDateTime, Value = value, Source = KpiValueSource.Demo });
                if (linked is { } link && at >= window.Start)
                {
                    demo.AddCheckIn(link.Kr, value, at, link.Confidence, CheckInSource.Kpi);
                }
            }

            if (linked is { } linkedKr)
            {
                linkedKr.Kr.KpiId = kpi.Id;
            }

            _kpis.Add(kpi);
            _values[kpi.Id] = values;
            kpi.LatestAt = values[^1].At;
            kpi.LatestValue = values[^1].Value;
            return kpi;
        }

        /// <summary>The oldest value of the run of critical values that ends with the latest one.</summary>
        public KpiValue FirstBreach(Kpi kpi)
        {
            var values = _values[kpi.Id];
            var i = values.Count - 1;
            while (i > 0 && kpi.Thresholds.Classify(values[i - 1].Value, kpi.Direction) == KpiHealth.Critical)
            {
                i--;
            }

            return values[i];
        }

        /// <summary>
        /// In the current quarter the key result's path at <paramref name="pace"/> times the expected pace; before it,
        /// the key result's start with a slow drift, so that the quarter starts where the history left off.
        /// </summary>
        private double LinkedValue(KeyResult kr, double pace, (double First, double Last)? stay, DateTimeOffset at)
        {
            var share = Math.Clamp((at - window.Start) / window.Length, 0, 1);
            if (stay is { } s)
            {
                // One incident in the previous quarter shows up on the chart.
                var incident = Math.Abs((window.Start - at).TotalDays - 75) < 0.5;
                return incident ? 99.62 : (at < window.Start ? s.First : s.First + (s.Last - s.First) * share) + (demo._noise.NextDouble() - 0.5) * 0.02;
            }

            var span = kr.Target - kr.Start;
            var noise = (demo._noise.NextDouble() - 0.5) * 0.04 * span;
            return at < window.Start
                ? kr.Start - 0.02 * span * (window.Start - at).TotalDays / 30.4 + noise
                : kr.Start + span * Math.Min(1.15, pace * share) + noise;
        }
    }
}
