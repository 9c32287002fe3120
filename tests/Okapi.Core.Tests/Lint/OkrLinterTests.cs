using Okapi.Core.Lint;
using Okapi.Core.Okrs;

namespace Okapi.Core.Tests.Lint;

public sealed class OkrLinterTests
{
    private static readonly Guid CompanyTeam = Guid.NewGuid();
    private static readonly Guid SalesTeam = Guid.NewGuid();
    private static readonly Guid Cycle = Guid.NewGuid();
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid CompanyObjective = Guid.NewGuid();

    private static Objective NewObjective(string title, Guid? team = null, Guid? cycle = null) =>
        new() { Title = title, OwnerTeamId = team ?? SalesTeam, CycleId = cycle ?? Cycle };

    private static KeyResult NewKeyResult(string title, double start, double target, string? unit = "customers",
        KeyResultType type = KeyResultType.IncreaseTo) =>
        new() { Title = title, Start = start, Target = target, Unit = unit, Type = type, OwnerPersonId = Owner };

    private static List<KeyResult> GoodKeyResults() =>
    [
        NewKeyResult("Grow the number of sales from 800 to 960", 800, 960, "sales"),
        NewKeyResult("Win 120 new customers", 0, 120, "customers"),
        NewKeyResult("Raise customer satisfaction from 30 % to 50 %", 30, 50, "%"),
    ];

    /// <summary>Lints objectives that are all aligned to the company objective, so only the rule under test fires.</summary>
    private static IReadOnlyList<LintFinding> LintAligned(params (Objective Objective, List<KeyResult> KeyResults)[] objectives) =>
        OkrLinter.Lint(new LintInput
        {
            Objectives = [.. objectives.Select(o => new ObjectiveWithKeyResults(o.Objective, o.KeyResults))],
            Links = [.. objectives.Select(o => new ObjectiveLink { ChildObjectiveId = o.Objective.Id, ParentObjectiveId = CompanyObjective })],
            CompanyTeamId = CompanyTeam,
        });

    private static IReadOnlyList<LintFinding> LintKeyResult(KeyResult keyResult, KeyResultBaseline? baseline = null)
    {
        var objective = NewObjective("Delight more customers into buying from us");
        List<KeyResult> keyResults = [keyResult, .. GoodKeyResults()];
        return OkrLinter.Lint(new LintInput
        {
            Objectives = [new ObjectiveWithKeyResults(objective, keyResults)],
            Links = [new ObjectiveLink { ChildObjectiveId = objective.Id, ParentObjectiveId = CompanyObjective }],
            Baselines = baseline is null ? new Dictionary<Guid, KeyResultBaseline>() : new() { [keyResult.Id] = baseline },
        });
    }

    private static string[] RuleIds(IEnumerable<LintFinding> findings) => [.. findings.Select(f => f.RuleId)];

    [Fact]
    public void AGoodOkrPassesClean()
    {
        var findings = LintAligned((NewObjective("Delight more customers into buying from us"), GoodKeyResults()));

        Assert.Empty(findings);
    }

    [Fact]
    public void TitleWithAPercentageIsFlaggedWithAFixThatMovesTheNumberIntoAKeyResult()
    {
        var objective = NewObjective("Increase sales by 20 % this quarter");

        var finding = Assert.Single(LintAligned((objective, GoodKeyResults())));

        Assert.Equal("objective-title-number", finding.RuleId);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal(new LintSubject(LintSubjectKind.Objective, objective.Id, "title"), finding.Subject);
        Assert.Contains("\"20 %\"", finding.Message);
        Assert.Contains("into a key result", finding.Fix);
    }

    [Theory]
    [InlineData("Increase sales by 20% this quarter")]
    [InlineData("Reach $1M in annual recurring revenue")]
    [InlineData("Sign three new partners in Europe")]
    [InlineData("Double our revenue")]
    [InlineData("Cut costs by ten percent")]
    public void TitlesHoldingDigitsPercentSignsOrNumberWordsAreFlaggedAsHoldingANumber(string title)
    {
        Assert.Contains("objective-title-number", RuleIds(OkrLinter.LintObjectiveDraft(title)));
    }

    [Theory]
    [InlineData("Be the favourite bakery in Lyon by 2030")]
    [InlineData("Win the Q3 B2B market")]
    [InlineData("Be the one place teams plan their week")]
    public void YearsQuarterLabelsAndTheWordOneAreNotTakenForQuantities(string title)
    {
        Assert.DoesNotContain("objective-title-number", RuleIds(OkrLinter.LintObjectiveDraft(title)));
    }

    [Fact]
    public void AFourteenWordTitleIsFlaggedAsTooLong()
    {
        var title = "Make every single customer who walks into our stores feel welcome, understood and valued";

        var finding = Assert.Single(OkrLinter.LintObjectiveDraft(title));

        Assert.Equal("objective-title-too-long", finding.RuleId);
        Assert.Contains("14 words", finding.Message);
    }

    [Fact]
    public void TitleOfExactlyTwelveWordsIsNotTooLong()
    {
        Assert.Empty(OkrLinter.LintObjectiveDraft("Make every customer who walks into our stores feel welcome and valued"));
    }

    [Theory]
    [InlineData("Maintain our server uptime", "maintain")]
    [InlineData("Continue to grow the community", "continue")]
    [InlineData("Keep customers happy", "keep")]
    [InlineData("To maintain a healthy pipeline", "maintain")]
    [InlineData("Sustaining our market share", "sustaining")]
    public void MaintainContinueAndKeepObjectivesAreFlaggedAsNotAmbitious(string title, string verb)
    {
        var finding = Assert.Single(OkrLinter.LintObjectiveDraft(title));

        Assert.Equal("objective-not-ambitious", finding.RuleId);
        Assert.Contains($"\"{verb}\"", finding.Message);
    }

    [Fact]
    public void AnObjectiveThatOnlyMentionsMaintainingLaterIsNotFlagged()
    {
        Assert.Empty(OkrLinter.LintObjectiveDraft("Grow revenue while we maintain quality"));
    }

    [Fact]
    public void ObjectiveWithOneKeyResultIsFlaggedAsHavingTooFew()
    {
        var objective = NewObjective("Delight more customers into buying from us");

        var finding = Assert.Single(LintAligned((objective, GoodKeyResults().Take(1).ToList())));

        Assert.Equal("objective-too-few-key-results", finding.RuleId);
        Assert.Equal(new LintSubject(LintSubjectKind.Objective, objective.Id, "keyResults"), finding.Subject);
    }

    [Fact]
    public void ObjectiveWithSixKeyResultsIsFlaggedAsHavingTooMany()
    {
        var keyResults = Enumerable.Range(1, 6)
            .Select(i => NewKeyResult($"Win {i * 10} new customers in region {i}", 0, i * 10)).ToList();

        var finding = Assert.Single(LintAligned((NewObjective("Delight more customers into buying from us"), keyResults)));

        Assert.Equal("objective-too-many-key-results", finding.RuleId);
        Assert.Contains("6 key results", finding.Message);
    }

    [Fact]
    public void SixObjectivesForOneTeamInOneCycleAreFlaggedOnTheTeam()
    {
        var objectives = Enumerable.Range(1, 6)
            .Select(_ => (NewObjective("Delight more customers into buying from us"), GoodKeyResults())).ToArray();

        var finding = Assert.Single(LintAligned(objectives));

        Assert.Equal("owner-too-many-objectives", finding.RuleId);
        Assert.Equal(new LintSubject(LintSubjectKind.Team, SalesTeam, "objectives"), finding.Subject);
        Assert.Contains("3–5", finding.Fix);
    }

    [Fact]
    public void FiveObjectivesPerCycleAreFineEvenWhenTheTeamHasMoreAcrossCycles()
    {
        var nextCycle = Guid.NewGuid();
        var objectives = Enumerable.Range(1, 10)
            .Select(i => (NewObjective("Delight more customers into buying from us", cycle: i <= 5 ? Cycle : nextCycle), GoodKeyResults()))
            .ToArray();

        Assert.Empty(LintAligned(objectives));
    }

    [Fact]
    public void SixObjectivesOwnedByOnePersonAreFlaggedOnThePerson()
    {
        var person = Guid.NewGuid();
        var objectives = Enumerable.Range(1, 6)
            .Select(_ => (new Objective { Title = "Become a better coach", OwnerPersonId = person, CycleId = Cycle }, GoodKeyResults()))
            .ToArray();

        var finding = Assert.Single(LintAligned(objectives));

        Assert.Equal(new LintSubject(LintSubjectKind.Person, person, "objectives"), finding.Subject);
    }

    [Fact]
    public void SetSalesTrainingSessionsIsFlaggedAsAnActivityWithAFixThatMakesItAnInitiative()
    {
        var keyResult = NewKeyResult("Set sales training sessions", 0, 4, "sessions");

        var finding = Assert.Single(LintKeyResult(keyResult));

        Assert.Equal("key-result-activity", finding.RuleId);
        Assert.Equal(new LintSubject(LintSubjectKind.KeyResult, keyResult.Id, "title"), finding.Subject);
        Assert.Contains("\"set\"", finding.Message);
        Assert.Contains("initiative", finding.Fix);
    }

    [Theory]
    [InlineData("Launch six new features")]
    [InlineData("Hold a weekly demo")]
    [InlineData("To run 4 webinars")]
    [InlineData("Organising 3 meetups")]
    [InlineData("Write 10 blog posts")]
    [InlineData("Attend two trade fairs")]
    [InlineData("We will publish the pricing page")]
    public void KeyResultsLedByActivityOrOutputVerbsAreFlagged(string title)
    {
        Assert.Equal(["key-result-activity"], RuleIds(OkrLinter.LintKeyResultDraft(title)));
    }

    [Theory]
    [InlineData("Raise customer satisfaction from 30 % to 50 %")]
    [InlineData("Win 120 new customers")]
    [InlineData("Grow the number of sales from 800 to 960")]
    [InlineData("Reduce churn from 5 % to 3 %")]
    [InlineData("Settings page loads in under 2 seconds")]
    public void OutcomeKeyResultsAreNotTakenForActivities(string title)
    {
        Assert.Empty(OkrLinter.LintKeyResultDraft(title));
    }

    [Fact]
    public void KeyResultWhoseStartEqualsItsTargetIsFlaggedAsHavingNoNumber()
    {
        var finding = Assert.Single(LintKeyResult(NewKeyResult("Grow the number of sales", 800, 800, "sales")));

        Assert.Equal("key-result-no-number", finding.RuleId);
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("target", finding.Subject.Field);
    }

    [Fact]
    public void NumericKeyResultWithNoNumberInItsTitleAndNoUnitIsFlaggedOnceAsHavingNoNumber()
    {
        var finding = Assert.Single(LintKeyResult(NewKeyResult("Improve the onboarding experience", 0, 1, unit: null)));

        Assert.Equal("key-result-no-number", finding.RuleId);
        Assert.Equal("title", finding.Subject.Field);
    }

    [Fact]
    public void MilestoneKeyResultNeedsNoNumberNorUnit()
    {
        var milestone = NewKeyResult("Customers can pay by card in the app", 0, 1, unit: null, KeyResultType.Milestone);

        Assert.Empty(LintKeyResult(milestone));
    }

    [Fact]
    public void IncreaseKeyResultWithoutAUnitIsFlaggedOnTheUnit()
    {
        var finding = Assert.Single(LintKeyResult(NewKeyResult("Grow the number of sales from 800 to 960", 800, 960, unit: " ")));

        Assert.Equal("key-result-no-unit", finding.RuleId);
        Assert.Equal("unit", finding.Subject.Field);
    }

    [Fact]
    public void KeyResultWithoutAnOwnerIsFlagged()
    {
        var keyResult = NewKeyResult("Win 120 new customers", 0, 120);
        keyResult.OwnerPersonId = null;

        var finding = Assert.Single(LintKeyResult(keyResult));

        Assert.Equal("key-result-no-owner", finding.RuleId);
        Assert.Equal("ownerPersonId", finding.Subject.Field);
    }

    [Theory]
    [InlineData("Grow the number of sales from 800 to 840", 800, 840, "sales", KeyResultType.IncreaseTo)]
    [InlineData("Cut the average delivery time from 100 to 95 minutes", 100, 95, "minutes", KeyResultType.DecreaseTo)]
    public void AFivePercentImprovementIsFlaggedAsLikelySandbagging(string title, double start, double target, string unit, KeyResultType type)
    {
        var finding = Assert.Single(LintKeyResult(NewKeyResult(title, start, target, unit, type)));

        Assert.Equal("key-result-small-improvement", finding.RuleId);
        Assert.Contains("5 %", finding.Message);
        Assert.Contains("sandbagging", finding.Message);
    }

    [Fact]
    public void ATenPercentImprovementIsNotSandbagging()
    {
        Assert.Empty(LintKeyResult(NewKeyResult("Grow the number of sales to 880", 800, 880, "sales")));
    }

    [Fact]
    public void ATargetTheLinkedKpiTrendReachesByCycleEndIsFlaggedAsLikelySandbagging()
    {
        var keyResult = NewKeyResult("Grow the number of sales from 800 to 960", 800, 960, "sales");

        var finding = Assert.Single(LintKeyResult(keyResult, new KeyResultBaseline(LatestValue: 900, ProjectedAtCycleEnd: 1000)));

        Assert.Equal("key-result-reached-by-trend", finding.RuleId);
        Assert.Contains("trend reaches 1000", finding.Message);
    }

    [Fact]
    public void ATargetTheLinkedKpiHasAlreadyPassedIsFlaggedAsAlreadyReached()
    {
        var keyResult = NewKeyResult("Reduce churn from 5 % to 3 %", 5, 3, "%", KeyResultType.DecreaseTo);

        var finding = Assert.Single(LintKeyResult(keyResult, new KeyResultBaseline(LatestValue: 2.5, ProjectedAtCycleEnd: null)));

        Assert.Equal("key-result-reached-by-trend", finding.RuleId);
        Assert.Contains("already at 2.5", finding.Message);
    }

    [Fact]
    public void ATargetBeyondTheLinkedKpiTrendIsNotFlagged()
    {
        var keyResult = NewKeyResult("Grow the number of sales from 800 to 960", 800, 960, "sales");

        Assert.Empty(LintKeyResult(keyResult, new KeyResultBaseline(LatestValue: 820, ProjectedAtCycleEnd: 880)));
    }

    [Fact]
    public void AnUnalignedObjectiveBelowTheTopIsFlagged()
    {
        var objective = NewObjective("Delight more customers into buying from us");

        var findings = OkrLinter.Lint(new LintInput
        {
            Objectives = [new ObjectiveWithKeyResults(objective, GoodKeyResults())],
            CompanyTeamId = CompanyTeam,
        });

        var finding = Assert.Single(findings);
        Assert.Equal("objective-unaligned", finding.RuleId);
        Assert.Equal(objective.Id, finding.Subject.Id);
    }

    [Fact]
    public void ObjectivesOfTheCompanyTeamOrMarkedTopLevelNeedNoAlignment()
    {
        var company = NewObjective("Become the bakery Lyon loves", team: CompanyTeam);
        var personal = new Objective { Title = "Become a better coach", OwnerPersonId = Owner, CycleId = Cycle };

        var findings = OkrLinter.Lint(new LintInput
        {
            Objectives = [new(company, GoodKeyResults()), new(personal, GoodKeyResults())],
            CompanyTeamId = CompanyTeam,
            TopLevelObjectiveIds = new HashSet<Guid> { personal.Id },
        });

        Assert.Empty(findings);
    }

    [Fact]
    public void AnObjectiveAlignedToAParentKeyResultCountsAsAligned()
    {
        var objective = NewObjective("Delight more customers into buying from us");

        var findings = OkrLinter.Lint(new LintInput
        {
            Objectives = [new ObjectiveWithKeyResults(objective, GoodKeyResults())],
            Links = [new ObjectiveLink { ChildObjectiveId = objective.Id, ParentKeyResultId = Guid.NewGuid() }],
            CompanyTeamId = CompanyTeam,
        });

        Assert.Empty(findings);
    }

    [Fact]
    public void AKpiWithNeitherAThresholdNorAnAlertRuleIsFlaggedWithTheQuestionToAsk()
    {
        var kpi = new KpiLintInfo(Guid.NewGuid(), "Website visits", SalesTeam, HasThreshold: false, HasAlertRule: false);

        var findings = OkrLinter.Lint(new LintInput
        {
            Kpis =
            [
                kpi,
                new KpiLintInfo(Guid.NewGuid(), "Revenue", SalesTeam, HasThreshold: true, HasAlertRule: false),
                new KpiLintInfo(Guid.NewGuid(), "Churn", SalesTeam, HasThreshold: false, HasAlertRule: true),
            ],
        });

        var finding = Assert.Single(findings);
        Assert.Equal("kpi-no-threshold-or-alert", finding.RuleId);
        Assert.Equal(new LintSubject(LintSubjectKind.Kpi, kpi.Id), finding.Subject);
        Assert.Contains("Would we change what we do if it goes down?", finding.Message);
    }

    [Fact]
    public void ElevenKpisForOneTeamAreFlaggedButTenAreNot()
    {
        static KpiLintInfo Kpi(Guid team) => new(Guid.NewGuid(), "Revenue", team, HasThreshold: true, HasAlertRule: true);
        var busyTeam = Guid.NewGuid();
        var kpis = Enumerable.Range(0, 11).Select(_ => Kpi(busyTeam)).Concat(Enumerable.Range(0, 10).Select(_ => Kpi(SalesTeam)));

        var finding = Assert.Single(OkrLinter.Lint(new LintInput { Kpis = [.. kpis] }));

        Assert.Equal("team-too-many-kpis", finding.RuleId);
        Assert.Equal(new LintSubject(LintSubjectKind.Team, busyTeam, "kpis"), finding.Subject);
        Assert.Contains("11 KPIs", finding.Message);
    }

    [Fact]
    public void ADraftTitleIsLintedBeforeTheObjectiveIsSaved()
    {
        var findings = OkrLinter.LintObjectiveDraft("maintain 99.9 % uptime");

        Assert.Equal(["objective-title-number", "objective-not-ambitious"], RuleIds(findings));
        Assert.All(findings, f => Assert.Equal(Guid.Empty, f.Subject.Id));
    }

    [Fact]
    public void TheRuleCatalogueListsEveryRuleOnceWithADescription()
    {
        var ids = OkrLinter.Rules.Select(r => r.Id).ToList();

        Assert.Equal(15, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(OkrLinter.Rules, r => Assert.Matches("^[a-z]+(-[a-z]+)+$", r.Id));
        Assert.All(OkrLinter.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }

    [Fact]
    public void EveryFindingCarriesTheIdAndSeverityOfACatalogueRule()
    {
        var objective = NewObjective("Maintain our server uptime at 99.9 % for all of our customers around the world");
        var findings = OkrLinter.Lint(new LintInput
        {
            Objectives = [new ObjectiveWithKeyResults(objective, [NewKeyResult("Set sales training sessions", 10, 10, unit: null)])],
            Kpis = [new KpiLintInfo(Guid.NewGuid(), "Uptime", SalesTeam, false, false)],
        });

        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Contains(OkrLinter.Rules, r => r.Id == f.RuleId && r.Severity == f.Severity));
    }

    [Fact]
    public void AKeyResultBeingTypedGetsTheStretchCheckAgainstItsKpiAndNothingWithoutOne()
    {
        var keyResult = NewKeyResult("Grow the number of sales from 800 to 960", 800, 960, "sales");

        Assert.Equal("key-result-reached-by-trend",
            Assert.Single(OkrLinter.LintKeyResultTrend(keyResult, new KeyResultBaseline(LatestValue: 990, ProjectedAtCycleEnd: null))).RuleId);
        Assert.Empty(OkrLinter.LintKeyResultTrend(keyResult, null));
        Assert.Empty(OkrLinter.LintKeyResultTrend(keyResult, new KeyResultBaseline(LatestValue: 850, ProjectedAtCycleEnd: 900)));
    }
}
