namespace Okapi.Web.Features.Exchange;

/// <summary>What an import did (or, on a dry run, would do), per kind of row.</summary>
/// <param name="DryRun">Whether this was a dry run: nothing was changed.</param>
/// <param name="Kinds">One entry per kind of row, in the order `organisation`, `people`, `teams`, `cycles`, `kpis`, `objectives`, `keyResults`, `checkIns`.</param>
public sealed record ImportPlanDto(bool DryRun, IReadOnlyList<ImportKindDto> Kinds)
{
    /// <summary>Whether any row was (or would be) created or updated.</summary>
    public bool HasChanges => Kinds.Any(k => k.Created.Count > 0 || k.Updated.Count > 0);
}

/// <summary>
/// Rows of one kind (organisation, people, teams, cycles, kpis, objectives, keyResults, checkIns) by key: key results
/// are named "objective/keyResult", check-ins "objective/keyResult@instant", people by email.
/// </summary>
/// <param name="Kind">The kind of row: `organisation`, `people`, `teams`, `cycles`, `kpis`, `objectives`, `keyResults` or `checkIns`.</param>
/// <param name="Created">The keys of rows created.</param>
/// <param name="Updated">The rows updated, with the fields that changed.</param>
/// <param name="Unchanged">The keys of rows the document matches without changes.</param>
public sealed record ImportKindDto(string Kind, IReadOnlyList<string> Created, IReadOnlyList<ImportChangeDto> Updated, IReadOnlyList<string> Unchanged);

/// <summary>An existing row the document changes, with the document fields whose values change.</summary>
/// <param name="Key">The row's key.</param>
/// <param name="Fields">The document's names of the fields whose values change.</param>
public sealed record ImportChangeDto(string Key, IReadOnlyList<string> Fields);

/// <summary>One error of a refused document, in the problem details' "places" list.</summary>
public sealed record ImportErrorDto(string Path, int Line, int Column, string Message)
{
    public static ImportErrorDto From(ExchangeError e) => new(e.Path, e.Line, e.Column, e.Message);
}

/// <summary>The result of an import: the plan, or every error with its place (and nothing changed).</summary>
public sealed record ImportResult(ImportPlanDto? Plan, IReadOnlyList<ExchangeError> Errors);

internal sealed class PlanBuilder
{
    private static readonly string[] Order = ["organisation", "people", "teams", "cycles", "kpis", "objectives", "keyResults", "checkIns"];
    private readonly Dictionary<string, (List<string> Created, List<ImportChangeDto> Updated, List<string> Unchanged)> _kinds =
        Order.ToDictionary(k => k, _ => (new List<string>(), new List<ImportChangeDto>(), new List<string>()));

    public void Record(string kind, string key, bool created, Changes changes)
    {
        var lists = _kinds[kind];
        if (created)
        {
            lists.Created.Add(key);
        }
        else if (changes.Fields.Count > 0)
        {
            lists.Updated.Add(new ImportChangeDto(key, changes.Fields.Distinct().ToList()));
        }
        else
        {
            lists.Unchanged.Add(key);
        }
    }

    /// <summary>Adds a changed field to a row recorded before (alignment is known only once every objective exists).</summary>
    public void AddField(string kind, string key, string field)
    {
        var lists = _kinds[kind];
        if (lists.Created.Contains(key))
        {
            return;
        }

        var index = lists.Updated.FindIndex(u => u.Key == key);
        if (index >= 0)
        {
            lists.Updated[index] = lists.Updated[index] with { Fields = [.. lists.Updated[index].Fields, field] };
            return;
        }

        lists.Unchanged.Remove(key);
        lists.Updated.Add(new ImportChangeDto(key, [field]));
    }

    public ImportPlanDto Build(bool dryRun) => new(dryRun, Order.Select(k => new ImportKindDto(k,
        _kinds[k].Created.Order(StringComparer.Ordinal).ToList(),
        _kinds[k].Updated.OrderBy(u => u.Key, StringComparer.Ordinal).ToList(),
        _kinds[k].Unchanged.Order(StringComparer.Ordinal).ToList())).ToList());
}

/// <summary>The fields an import changes on one row; a field the document leaves out keeps its value.</summary>
/// <param name="deferred">
/// Keep the changes until <see cref="Apply"/> instead of making them at once: a row can then be compared while
/// untracked, and tracked (to save and audit its old values) only when it changes.
/// </param>
internal sealed class Changes(bool deferred = false)
{
    private readonly List<Action> _pending = [];

    public List<string> Fields { get; } = [];

    /// <summary>Makes the deferred changes.</summary>
    public void Apply()
    {
        foreach (var change in _pending)
        {
            change();
        }

        _pending.Clear();
    }

    private void Make(Action change)
    {
        if (deferred)
        {
            _pending.Add(change);
        }
        else
        {
            change();
        }
    }

    public void Set(string field, string? current, string? desired, Action<string> apply)
    {
        if (desired is not null && !Equals(current, desired))
        {
            Make(() => apply(desired));
            Fields.Add(field);
        }
    }

    public void Value<T>(string field, T current, T? desired, Action<T> apply) where T : struct
    {
        if (desired is { } value && !Equals(current, value))
        {
            Make(() => apply(value));
            Fields.Add(field);
        }
    }

    public void Optional<T>(string field, T? current, T? desired, Action<T?> apply) where T : struct
    {
        if (desired is not null && !Equals(current, desired))
        {
            Make(() => apply(desired));
            Fields.Add(field);
        }
    }

    public void List<T>(string field, List<T> current, List<T>? desired, Action<List<T>> apply)
    {
        if (desired is not null && !current.SequenceEqual(desired))
        {
            Make(() => apply(desired));
            Fields.Add(field);
        }
    }

    public void Mark(string field) => Fields.Add(field);
}
