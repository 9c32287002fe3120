using System.Linq.Expressions;
using System.Reflection;
using Okapi.Core.Kpis;
using Okapi.Core.Okrs;
using Okapi.Core.Organisations;

namespace Okapi.Core.Access;

/// <summary>
/// Someone acting in an organisation: a signed-in person, or a person's API token with its scopes. Every rule of who
/// may see and do what is here, so that the API's authorization policies, the feature services and the pages ask the
/// same question and get the same answer.
/// </summary>
public sealed class Actor
{
    // A list rather than the set, so that a query's Contains becomes one list parameter on every provider.
    private readonly List<Guid> _teams;
    private Expression<Func<Objective, bool>>? _seesObjective;
    private Expression<Func<Kpi, bool>>? _seesKpi;
    private Expression<Func<Objective, bool>>? _ownsObjective;
    private Expression<Func<Kpi, bool>>? _ownsKpi;

    /// <param name="ledTeamIds">The teams among <paramref name="teamIds"/> the person leads.</param>
    /// <param name="scopes">The token's scopes; null for a signed-in person.</param>
    public Actor(Guid personId, Guid organisationId, Role role, IEnumerable<Guid> teamIds, IEnumerable<Guid>? ledTeamIds = null, IEnumerable<TokenScope>? scopes = null)
    {
        PersonId = personId;
        OrganisationId = organisationId;
        Role = role;
        _teams = teamIds.Distinct().ToList();
        TeamIds = _teams.ToHashSet();
        LedTeamIds = (ledTeamIds ?? []).Where(TeamIds.Contains).ToHashSet();
        Scopes = scopes?.ToHashSet();
    }

    public Guid PersonId { get; }
    public Guid OrganisationId { get; }
    public Role Role { get; }
    public IReadOnlySet<Guid> TeamIds { get; }
    public IReadOnlySet<Guid> LedTeamIds { get; }

    /// <summary>The token's scopes; null for a signed-in person, who is limited by their role only.</summary>
    public IReadOnlySet<TokenScope>? Scopes { get; }

    public bool UsesToken => Scopes is not null;

    /// <summary>An admin token holds every scope, and a write token may read.</summary>
    public bool HasScope(TokenScope scope) => Scopes is null || Scopes.Contains(TokenScope.Admin) || Scopes.Contains(scope) ||
        (scope == TokenScope.Read && Scopes.Contains(TokenScope.Write));

    public bool CanRead => HasScope(TokenScope.Read);

    public bool IsAdmin => Role == Role.Admin && HasScope(TokenScope.Admin);

    /// <summary>Changes the organisation's OKRs and KPIs: members and admins, with a write token when using one.</summary>
    public bool CanWrite => Role >= Role.Member && HasScope(TokenScope.Write);

    /// <summary>Their own inbox, notifications, settings and tokens: viewers too, with a write token when using one.</summary>
    public bool MayChangeOwnData => HasScope(TokenScope.Write);

    /// <summary>
    /// Stores KPI values somewhere: those who may write, and <c>kpi:ingest</c> tokens of members, which may write
    /// values to any KPI they can see (an integration feeds many teams' KPIs) and nothing else.
    /// </summary>
    public bool MayIngestValues => CanWrite || IngestsByToken;

    private bool IngestsByToken => Role >= Role.Member && UsesToken && HasScope(TokenScope.KpiIngest);

    /// <summary>Private objectives and KPIs are seen by admins by role, whatever their token's scopes.</summary>
    public bool SeesEverything => Role == Role.Admin;


    /// <summary>The objectives the actor may see, as a filter the database runs.</summary>
    public Expression<Func<Objective, bool>> SeesObjective => _seesObjective ??= Bind(ObjectiveRule);

    /// <summary>The KPIs the actor may see, as a filter the database runs.</summary>
    public Expression<Func<Kpi, bool>> SeesKpi => _seesKpi ??= Bind(KpiRule);

    public bool MaySee(Objective objective) => ObjectiveCheck(this, objective);

    public bool MaySee(Kpi kpi) => KpiCheck(this, kpi);

    // The one definition of what the actor owns, over an owner person and an owner team: owned by them, or by one of
    // their teams (both may be set). Bound to objectives and KPIs for queries; compiled for checks in memory.
    private static readonly Expression<Func<Actor, Guid?, Guid?, bool>> OwnerRule = (a, person, team) =>
        person == a.PersonId || (team != null && a._teams.Contains(team.Value));

    private static readonly Func<Actor, Guid?, Guid?, bool> OwnerCheck = OwnerRule.Compile();
    private static readonly Expression<Func<Actor, Objective, bool>> OwnsObjectiveRule = OwnerOf<Objective>(o => o.OwnerPersonId, o => o.OwnerTeamId);
    private static readonly Expression<Func<Actor, Kpi, bool>> OwnsKpiRule = OwnerOf<Kpi>(k => k.OwnerPersonId, k => k.OwnerTeamId);

    // The one definition of who sees an objective and who sees a KPI: public ones, and private ones that they or their
    // teams own, or as admin. Queries get them bound to the actor; checks in memory run them compiled, once per process.
    private static readonly Expression<Func<Actor, Visibility, bool, bool>> SeesRule = (a, visibility, owns) =>
        a.SeesEverything || visibility == Visibility.Public || owns;

    private static readonly Expression<Func<Actor, Objective, bool>> ObjectiveRule = SeenOf<Objective>(o => o.Visibility, OwnsObjectiveRule);
    private static readonly Expression<Func<Actor, Kpi, bool>> KpiRule = SeenOf<Kpi>(k => k.Visibility, OwnsKpiRule);
    private static readonly Func<Actor, Objective, bool> ObjectiveCheck = ObjectiveRule.Compile();
    private static readonly Func<Actor, Kpi, bool> KpiCheck = KpiRule.Compile();

    /// <summary>The objectives the actor or one of their teams owns, as a filter the database runs.</summary>
    public Expression<Func<Objective, bool>> OwnsObjective => _ownsObjective ??= Bind(OwnsObjectiveRule);

    /// <summary>The KPIs the actor or one of their teams owns, as a filter the database runs.</summary>
    public Expression<Func<Kpi, bool>> OwnsKpi => _ownsKpi ??= Bind(OwnsKpiRule);

    public bool Owns(Objective objective) => Owns(objective.OwnerPersonId, objective.OwnerTeamId);

    public bool Owns(Kpi kpi) => Owns(kpi.OwnerPersonId, kpi.OwnerTeamId);

    /// <summary>Whether the actor or one of their teams owns what these owners own (for a DTO that carries only the ids).</summary>
    public bool Owns(Guid? ownerPersonId, Guid? ownerTeamId) => OwnerCheck(this, ownerPersonId, ownerTeamId);

    // Who may review an objective: admins, and members who lead a team that owns it. Whether someone leads such a team
    // needs the memberships of the objective's owners, so the caller supplies it as part of the query.
    private static readonly Expression<Func<Role, bool, bool>> ReviewerRule = (role, leadsOwnerTeam) =>
        role == Role.Admin || (role != Role.Viewer && leadsOwnerTeam);

    /// <summary>
    /// The people who may review an objective, as a filter the database runs: <paramref name="leadsOwnerTeam"/> says whether
    /// a candidate leads the objective's owner team or a team of its owner person.
    /// </summary>
    public static Expression<Func<T, bool>> MayReview<T>(Expression<Func<T, Role>> role, Expression<Func<T, bool>> leadsOwnerTeam)
    {
        var candidate = role.Parameters[0];
        return Expression.Lambda<Func<T, bool>>(Substitute(ReviewerRule, role.Body, Substitute(leadsOwnerTeam, candidate)), candidate);
    }

    /// <summary>Members edit what they or their teams own; admins edit everything.</summary>
    public bool MayEdit(Objective objective) => CanWrite && (Role == Role.Admin || Owns(objective));

    /// <summary>A key result's owner may check in on it and edit it even when the objective belongs to another team.</summary>
    public bool MayEdit(Objective objective, KeyResult keyResult) => MayEdit(objective) || (CanWrite && keyResult.OwnerPersonId == PersonId);

    /// <summary>An initiative's owner edits it too, like a key result's owner.</summary>
    public bool MayEdit(Objective objective, Initiative initiative) => MayEdit(objective) || (CanWrite && initiative.OwnerPersonId == PersonId);

    /// <summary>Members edit the KPIs they or their teams own (and their alert rules and sources); admins edit every KPI.</summary>
    public bool MayEdit(Kpi kpi) => CanWrite && (Role == Role.Admin || Owns(kpi));

    /// <summary>Pushes values to a KPI: its editors, and <c>kpi:ingest</c> tokens of members for any KPI they can see.</summary>
    public bool MayIngest(Kpi kpi) => MaySee(kpi) && (MayEdit(kpi) || IngestsByToken);

    /// <summary>A comment is deleted by its author or an admin.</summary>
    public bool MayDelete(Comment comment) => CanWrite && (comment.AuthorId == PersonId || Role == Role.Admin);

    /// <summary>A team's leads (and admins) close the cycle for their team; only admins close it for the company.</summary>
    public bool MayCloseCycle(Guid? teamId) => IsAdmin || (teamId is { } team && CanWrite && LedTeamIds.Contains(team));

    /// <summary>A token never grants more than its owner's role and the credentials that create it allow.</summary>
    public bool MayGrant(TokenScope scope) => HasScope(scope) && scope switch
    {
        TokenScope.Admin => Role == Role.Admin,
        TokenScope.Write or TokenScope.KpiIngest => Role >= Role.Member,
        _ => true,
    };

    /// <summary>A token that could mint tokens would outlive its own expiry and revocation: only people signed in, or admin tokens, do.</summary>
    public bool MayCreateTokens => HasScope(TokenScope.Admin);

    /// <summary>The owner rule over an entity's owner person and owner team.</summary>
    private static Expression<Func<Actor, T, bool>> OwnerOf<T>(Expression<Func<T, Guid?>> person, Expression<Func<T, Guid?>> team)
    {
        var entity = person.Parameters[0];
        return Expression.Lambda<Func<Actor, T, bool>>(
            Substitute(OwnerRule, OwnerRule.Parameters[0], person.Body, Substitute(team, entity)), OwnerRule.Parameters[0], entity);
    }

    /// <summary>The visibility rule over an entity's visibility and the rule of who owns it.</summary>
    private static Expression<Func<Actor, T, bool>> SeenOf<T>(Expression<Func<T, Visibility>> visibility, Expression<Func<Actor, T, bool>> owns)
    {
        var (actor, entity) = (owns.Parameters[0], owns.Parameters[1]);
        return Expression.Lambda<Func<Actor, T, bool>>(Substitute(SeesRule, actor, Substitute(visibility, entity), owns.Body), actor, entity);
    }

    /// <summary>The body of <paramref name="rule"/> with its parameters, in order, replaced by <paramref name="arguments"/>.</summary>
    private static Expression Substitute(LambdaExpression rule, params Expression[] arguments) =>
        new Substitution(rule.Parameters.Zip(arguments).ToDictionary(p => p.First, p => p.Second)).Visit(rule.Body);

    private Expression<Func<T, bool>> Bind<T>(Expression<Func<Actor, T, bool>> rule) =>
        Expression.Lambda<Func<T, bool>>(new BindActor(rule.Parameters[0], this).Visit(rule.Body), rule.Parameters[1]);

    private sealed class Substitution(Dictionary<ParameterExpression, Expression> arguments) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            arguments.TryGetValue(node, out var argument) ? argument : base.VisitParameter(node);
    }

    /// <summary>
    /// Puts the actor in place of the rule's parameter. Its yes/no properties become constants and an "or" that is
    /// already decided is cut short, so that the database gets no filter at all for an admin rather than one that is
    /// always true; the actor's ids stay values that the provider sends as parameters.
    /// </summary>
    private sealed class BindActor(ParameterExpression parameter, Actor actor) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Expression == parameter && node.Type == typeof(bool) && node.Member is PropertyInfo property
                ? Expression.Constant(property.GetValue(actor), typeof(bool))
                : base.VisitMember(node);

        protected override Expression VisitParameter(ParameterExpression node) =>
            node == parameter ? Expression.Constant(actor) : base.VisitParameter(node);

        protected override Expression VisitBinary(BinaryExpression node)
        {
            var visited = base.VisitBinary(node);
            return visited is BinaryExpression { NodeType: ExpressionType.OrElse, Left: ConstantExpression { Value: bool decided } } or
                ? decided ? or.Left : or.Right
                : visited;
        }
    }
}
