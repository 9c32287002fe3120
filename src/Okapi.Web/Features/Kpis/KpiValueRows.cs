using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Infrastructure;

namespace Okapi.Web.Features.Kpis;

/// <summary>One row of a bulk request or an upload, read but not yet checked against the KPIs: 1-based as the sender counts.</summary>
public readonly record struct KpiValueRow(int Row, Guid? KpiId, string? Key, DateTimeOffset At, double Value);

/// <summary>
/// Errors of rows by their number. Only the first <see cref="MaxListed"/> bad rows are listed, so that a million
/// bad rows make a readable answer; <see cref="BadRows"/> counts all of them.
/// </summary>
public sealed class RowErrors
{
    public const int MaxListed = 100;

    private readonly HashSet<int> _listed = [];

    public ValidationErrors Errors { get; } = new();
    public int BadRows { get; private set; }
    public bool IsValid => Errors.IsValid && BadRows == 0;

    public void Add(int row, string field, string message)
    {
        if (_listed.Contains(row))
        {
            Errors.Add($"rows[{row}].{field}", message);
            return;
        }

        BadRows++;
        if (_listed.Count < MaxListed)
        {
            _listed.Add(row);
            Errors.Add($"rows[{row}].{field}", message);
        }
    }

    public Failure ToFailure()
    {
        if (BadRows > _listed.Count)
        {
            Errors.Add("rows", $"{BadRows} rows are invalid; the first {MaxListed} are listed. Nothing was stored.");
        }
        else if (BadRows > 0)
        {
            Errors.Add("rows", $"{BadRows} row{(BadRows == 1 ? " is" : "s are")} invalid. Nothing was stored.");
        }

        return Failure.Invalid(Errors);
    }
}

/// <summary>
/// Reads value rows from JSON, CSV or XLSX and stores them all or none: every row is checked first (number,
/// instant, KPI known and writable by the caller), then all go through <see cref="KpiIngestion"/> in one transaction.
/// </summary>
public sealed class KpiValueRows(OkapiDbContext db, Caller caller, KpiIngestion ingestion, TimeProvider clock)
{
    /// <summary>Rows per request: a million values is minutes of a busy sender, and some tens of megabytes.</summary>
    public const int MaxRows = 1_000_000;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Reads one JSON object <c>{"kpiId"|"kpi", "at", "value"}</c>; adds its errors and returns null when it is bad.</summary>
    public static KpiValueRow? FromJson(JsonElement element, int row, bool needsKpi, DateTimeOffset now, RowErrors errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(row, "value", "must be an object like {\"at\": \"2027-02-15T12:00:00Z\", \"value\": 1.5}.");
            return null;
        }

        JsonElement? at = null, value = null, kpiId = null, kpi = null;
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "at": at = property.Value; break;
                case "value": value = property.Value; break;
                case "kpiid": kpiId = property.Value; break;
                case "kpi": kpi = property.Value; break;
            }
        }

        var ok = true;
        Guid? id = null;
        string? key = null;
        if (kpiId is { ValueKind: not JsonValueKind.Null } idElement)
        {
            if (idElement.ValueKind == JsonValueKind.String && Guid.TryParse(idElement.GetString(), out var parsed))
            {
                id = parsed;
            }
            else
            {
                errors.Add(row, "kpiId", "must be a KPI's id (a GUID).");
                ok = false;
            }
        }

        if (kpi is { ValueKind: not JsonValueKind.Null } keyElement)
        {
            if (keyElement.ValueKind == JsonValueKind.String && keyElement.GetString() is { Length: > 0 } text)
            {
                key = text;
            }
            else
            {
                errors.Add(row, "kpi", "must be a KPI's key or id.");
                ok = false;
            }
        }

        if (needsKpi && ok && id is null && key is null)
        {
            errors.Add(row, "kpi", "name the KPI by 'kpiId' or 'kpi' (its key).");
            ok = false;
        }

        var instant = now;
        if (at is { ValueKind: not JsonValueKind.Null } atElement)
        {
            if (atElement.ValueKind != JsonValueKind.String || !TryParseInstant(atElement.GetString(), out instant))
            {
                errors.Add(row, "at", "must be an ISO 8601 timestamp such as 2027-02-15T12:00:00Z.");
                ok = false;
            }
        }

        var number = double.NaN;
        if (value is not { } valueElement || valueElement.ValueKind == JsonValueKind.Null)
        {
            errors.Add(row, "value", "is required.");
            ok = false;
        }
        else if (valueElement.ValueKind == JsonValueKind.Number)
        {
            if (!valueElement.TryGetDouble(out number) || !double.IsFinite(number))
            {
                errors.Add(row, "value", "must be a finite number (not NaN or infinite).");
                ok = false;
            }
        }
        else if (valueElement.ValueKind == JsonValueKind.String && IsNonFinite(valueElement.GetString()))
        {
            errors.Add(row, "value", "must be a finite number (not NaN or infinite).");
            ok = false;
        }
        else
        {
            errors.Add(row, "value", "must be a JSON number.");
            ok = false;
        }

        return ok && Check(row, instant, number, now, errors) ? new KpiValueRow(row, id, key, instant, number) : null;
    }

    /// <summary>Reads one text row (CSV or XLSX): kpi as key or id, the instant, the value.</summary>
    public static KpiValueRow? FromText(int row, string? kpi, string? at, string? value, DateTimeOffset now, RowErrors errors)
    {
        var ok = true;
        Guid? id = null;
        string? key = null;
        if (string.IsNullOrWhiteSpace(kpi))
        {
            errors.Add(row, "kpi", "is required (a KPI's key or id).");
            ok = false;
        }
        else if (Guid.TryParse(kpi.Trim(), out var parsed))
        {
            id = parsed;
        }
        else
        {
            key = kpi.Trim();
        }

        var instant = now;
        if (!string.IsNullOrWhiteSpace(at) && !TryParseInstant(at.Trim(), out instant))
        {
            errors.Add(row, "at", "must be an ISO 8601 timestamp such as 2027-02-15T12:00:00Z.");
            ok = false;
        }

        var number = double.NaN;
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(row, "value", "is required.");
            ok = false;
        }
        else if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) || !double.IsFinite(number))
        {
            errors.Add(row, "value", IsNonFinite(value.Trim()) || double.IsInfinity(number)
                ? "must be a finite number (not NaN or infinite)."
                : "must be a number with a '.' as the decimal point, e.g. 1234.5.");
            ok = false;
        }

        return ok && Check(row, instant, number, now, errors) ? new KpiValueRow(row, id, key, instant, number) : null;
    }

    /// <summary>
    /// Resolves the rows' KPIs (by id or key), refuses rows of KPIs the caller may not see or write to, and stores
    /// everything only when no row is bad.
    /// </summary>
    public async Task<Outcome<IngestResultDto>> StoreAsync(IReadOnlyList<KpiValueRow> rows, RowErrors errors, KpiValueSource source, CancellationToken ct)
    {
        if (rows.Count == 0 && errors.IsValid)
        {
            return Failure.Invalid("rows", "at least one row is required.");
        }

        var ids = rows.Where(r => r.KpiId is not null).Select(r => r.KpiId!.Value).Distinct().ToList();
        var keys = rows.Where(r => r.Key is not null).Select(r => r.Key!).Distinct().ToList();
        var kpis = await caller.Visible(db.Kpis.AsNoTracking())
            .Where(k => ids.Contains(k.Id) || keys.Contains(k.Key)).ToListAsync(ct);
        var byId = kpis.ToDictionary(k => k.Id);
        var byKey = kpis.ToDictionary(k => k.Key, StringComparer.Ordinal);
        var values = new List<KpiValue>(rows.Count);
        foreach (var row in rows)
        {
            Kpi? kpi = row.KpiId is { } id ? byId.GetValueOrDefault(id) : byKey.GetValueOrDefault(row.Key!);
            var field = row.KpiId is not null && row.Key is null ? "kpiId" : "kpi";
            if (kpi is null)
            {
                errors.Add(row.Row, field, $"There is no KPI '{row.KpiId?.ToString() ?? row.Key}'.");
            }
            else if (!caller.CanIngest(kpi))
            {
                errors.Add(row.Row, field, $"You may not write values to the KPI '{kpi.Key}'.");
            }
            else
            {
                values.Add(new KpiValue { KpiId = kpi.Id, At = row.At.UtcDateTime, Value = row.Value, Source = source });
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToFailure();
        }

        var stored = await ingestion.StoreAsync(values, ct);
        return new IngestResultDto(stored, values.Select(v => v.KpiId).Distinct().Count());
    }

    public static bool TryParseInstant(string? text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out at);

    private static bool Check(int row, DateTimeOffset at, double value, DateTimeOffset now, RowErrors errors)
    {
        var checks = new ValidationErrors();
        KpiValueRules.Check(at, value, now, "row", checks);
        foreach (var (field, messages) in checks.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(row, field["row.".Length..], message);
            }
        }

        return checks.IsValid;
    }

    private static bool IsNonFinite(string? text) =>
        text is not null && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsFinite(number);
}
