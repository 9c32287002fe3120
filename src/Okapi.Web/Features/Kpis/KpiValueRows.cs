using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Okapi.Core;
using Okapi.Core.Kpis;
using Okapi.Data;
using Okapi.Web.Features.Access;
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
public sealed partial class KpiValueRows(OkapiDbContext db, Caller caller, KpiIngestion ingestion, TimeProvider clock)
{
    /// <summary>Rows per request: a million values is minutes of a busy sender, and some tens of megabytes.</summary>
    public const int MaxRows = 1_000_000;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Checks one JSON row <c>{"kpiId"|"kpi", "at", "value"}</c>; adds its errors and returns null when it is bad.</summary>
    public static KpiValueRow? FromJson(JsonValueRow json, int row, bool needsKpi, DateTimeOffset now, RowErrors errors)
    {
        if (!json.IsObject)
        {
            errors.Add(row, "value", "must be an object like {\"at\": \"2027-02-15T12:00:00Z\", \"value\": 1.5}.");
            return null;
        }

        var ok = true;
        if (json.BadKpiId)
        {
            errors.Add(row, "kpiId", "must be a KPI's id (a GUID).");
            ok = false;
        }

        if (json.BadKey)
        {
            errors.Add(row, "kpi", "must be a KPI's key or id.");
            ok = false;
        }

        var id = json.KpiId;
        var key = json.Key;
        if (key is not null && id is null && Guid.TryParse(key, out var keyId))
        {
            (id, key) = (keyId, null);
        }

        if (needsKpi && ok && id is null && key is null)
        {
            errors.Add(row, "kpi", "name the KPI by 'kpiId' or 'kpi' (its key).");
            ok = false;
        }

        var instant = json.At ?? now;
        if (json.BadAt || (json.AtText is not null && !TryParseInstant(json.AtText, out instant)))
        {
            errors.Add(row, "at", "must be an ISO 8601 timestamp such as 2027-02-15T12:00:00Z.");
            ok = false;
        }

        var number = json.Value ?? double.NaN;
        if (json.Value is null)
        {
            errors.Add(row, "value", (json.ValueText is { } text && IsNonFinite(text)) || json.ValueOverflows
                ? "must be a finite number (not NaN or infinite)."
                : json.ValueText is not null || json.BadValue ? "must be a JSON number." : "is required.");
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

        var (ids, keys) = (new HashSet<Guid>(), new HashSet<string>(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            if (row.KpiId is { } id)
            {
                ids.Add(id);
            }
            else
            {
                keys.Add(row.Key!);
            }
        }

        var (idList, keyList) = (ids.ToList(), keys.ToList());
        var kpis = await caller.Visible(db.Kpis.AsNoTracking())
            .Where(k => idList.Contains(k.Id) || keyList.Contains(k.Key)).ToListAsync(ct);
        var byId = kpis.ToDictionary(k => k.Id);
        var byKey = kpis.ToDictionary(k => k.Key, StringComparer.Ordinal);
        var values = new List<NewKpiValue>(rows.Count);
        var written = new HashSet<Guid>();
        foreach (var row in rows)
        {
            Kpi? kpi = row.KpiId is { } id ? byId.GetValueOrDefault(id) : byKey.GetValueOrDefault(row.Key!);
            if (kpi is null)
            {
                NoSuchKpi(row, errors);
            }
            else if (!caller.CanIngest(kpi))
            {
                errors.Add(row.Row, Field(row), $"You may not write values to the KPI '{kpi.Key}'.");
            }
            else if (kpi.WhyReadOnly is { } archived)
            {
                errors.Add(row.Row, Field(row), $"{kpi.Key}: {archived}");
            }
            else
            {
                values.Add(new NewKpiValue(kpi.Id, row.At.UtcDateTime, row.Value, source));
                written.Add(kpi.Id);
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToFailure();
        }

        try
        {
            var stored = await ingestion.StoreAsync(values, ct);
            return new IngestResultDto(stored, written.Count);
        }
        catch (KpiGoneException gone)
        {
            // Deleted between the read above and the write: its rows are refused as if it had been gone before.
            var goneKpis = kpis.Where(k => gone.KpiIds.Contains(k.Id)).ToList();
            foreach (var row in rows)
            {
                if (goneKpis.Any(k => k.Id == row.KpiId || k.Key == row.Key))
                {
                    NoSuchKpi(row, errors);
                }
            }

            return errors.ToFailure();
        }
    }

    private static void NoSuchKpi(KpiValueRow row, RowErrors errors) =>
        errors.Add(row.Row, Field(row), $"There is no KPI '{row.KpiId?.ToString() ?? row.Key}'.");

    /// <summary>The field a row names its KPI by.</summary>
    private static string Field(KpiValueRow row) => row.KpiId is not null && row.Key is null ? "kpiId" : "kpi";

    /// <summary>
    /// An ISO 8601 date or date and time (a space may stand for the 'T', as spreadsheets write it), taken as UTC without
    /// an offset. Nothing else: "2020/01/01" or "01/02/2020" mean different days in different places.
    /// </summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset at)
    {
        at = default;
        return text is not null && IsoInstant().IsMatch(text.Trim()) &&
            DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();

    private static bool Check(int row, DateTimeOffset at, double value, DateTimeOffset now, RowErrors errors)
    {
        if (KpiValue.IsAcceptable(at, value, now))
        {
            return true;
        }

        var checks = KpiValue.Validate(at, value, now);
        foreach (var (field, messages) in checks.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(row, field, message);
            }
        }

        return checks.IsValid;
    }

    private static bool IsNonFinite(string? text) =>
        text is not null && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsFinite(number);
}

/// <summary>
/// A JSON value row as read, before any rule: what each field held, or that it held the wrong kind of token.
/// Read by <see cref="JsonValueRowConverter"/> straight off the reader, so that a million rows cost no DOM each.
/// </summary>
[JsonConverter(typeof(JsonValueRowConverter))]
public sealed class JsonValueRow
{
    public bool IsObject { get; set; } = true;
    public Guid? KpiId { get; set; }
    public bool BadKpiId { get; set; }
    public string? Key { get; set; }
    public bool BadKey { get; set; }
    public DateTimeOffset? At { get; set; }
    public string? AtText { get; set; }
    public bool BadAt { get; set; }
    public double? Value { get; set; }
    public string? ValueText { get; set; }
    public bool BadValue { get; set; }
    public bool ValueOverflows { get; set; }
}

public sealed class JsonValueRowConverter : JsonConverter<JsonValueRow>
{
    public override bool HandleNull => true;

    public override JsonValueRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var row = new JsonValueRow();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            row.IsObject = false;
            return row;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("kpiId"u8) || reader.ValueTextEquals("kpiid"u8) || reader.ValueTextEquals("KpiId"u8) ? "kpiId"
                : reader.ValueTextEquals("kpi"u8) || reader.ValueTextEquals("Kpi"u8) ? "kpi"
                : reader.ValueTextEquals("at"u8) || reader.ValueTextEquals("At"u8) ? "at"
                : reader.ValueTextEquals("value"u8) || reader.ValueTextEquals("Value"u8) ? "value"
                : null;
            reader.Read();
            var token = reader.TokenType;
            switch (name)
            {
                case "kpiId" when token == JsonTokenType.String:
                    if (reader.TryGetGuid(out var id) || Guid.TryParse(reader.GetString(), out id)) row.KpiId = id;
                    else row.BadKpiId = true;
                    break;
                case "kpi" when token == JsonTokenType.String:
                    row.Key = reader.GetString() is { Length: > 0 } key ? key : null;
                    row.BadKey = row.Key is null;
                    break;
                case "at" when token == JsonTokenType.String:
                    // The reader's ISO 8601 parser is fast, but takes a time without an offset as local: only 'Z' and offsets go that way.
                    var span = reader.HasValueSequence ? default : reader.ValueSpan;
                    if (span.Length > 0 && (span[^1] == (byte)'Z' || span.Length > 6 && (span[^6] == (byte)'+' || span[^6] == (byte)'-')) &&
                        reader.TryGetDateTimeOffset(out var at))
                    {
                        row.At = at;
                    }
                    else
                    {
                        row.AtText = reader.GetString();
                    }

                    break;
                case "value" when token == JsonTokenType.Number:
                    if (reader.TryGetDouble(out var number) && double.IsFinite(number)) row.Value = number;
                    else row.ValueOverflows = true;
                    break;
                case "value" when token == JsonTokenType.String:
                    row.ValueText = reader.GetString();
                    break;
                case "kpiId" or "kpi" or "at" or "value" when token == JsonTokenType.Null:
                    break;
                case "kpiId":
                    row.BadKpiId = true;
                    reader.Skip();
                    break;
                case "kpi":
                    row.BadKey = true;
                    reader.Skip();
                    break;
                case "at":
                    row.BadAt = true;
                    reader.Skip();
                    break;
                case "value":
                    row.BadValue = true;
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return row;
    }

    public override void Write(Utf8JsonWriter writer, JsonValueRow value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Value rows are only read.");
}
