using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Core.Organisations;
using Okapi.Data;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Operations;

/// <summary>
/// Upgrades from every earlier version: a database is left at each migration in turn, filled through that era's schema
/// with an organisation, a person, a team, a cycle, an objective with a key result and a KPI with values (as far as
/// their tables exist then), then migrated to the latest and read back through EF Core. Rows are written with raw SQL
/// from the columns the era's schema has: columns the current model knows get values of its types (so enums and
/// conversions read back), foreign keys point at the rows made before, and columns since dropped get a plain value.
/// </summary>
public sealed class UpgradeTests
{
    private const string OrganisationName = "Upgraded organisation";
    private static readonly Guid OrganisationId = Guid.Parse("0193a0aa-0000-7000-8000-000000000001");
    private static readonly Guid PersonId = Guid.Parse("0193a0aa-0000-7000-8000-000000000002");
    private static readonly Guid TeamId = Guid.Parse("0193a0aa-0000-7000-8000-000000000003");
    private static readonly Guid CycleId = Guid.Parse("0193a0aa-0000-7000-8000-000000000004");
    private static readonly Guid ObjectiveId = Guid.Parse("0193a0aa-0000-7000-8000-000000000005");
    private static readonly Guid KeyResultId = Guid.Parse("0193a0aa-0000-7000-8000-000000000006");
    private static readonly Guid KpiId = Guid.Parse("0193a0aa-0000-7000-8000-000000000007");
    private static readonly DateTime FirstValueAt = new(2027, 1, 4, 9, 0, 0, DateTimeKind.Utc);

    /// <summary>The rows to make, in an order that has every row's principals made before it.</summary>
    private static readonly (string Table, Dictionary<string, object?> Values)[] Rows =
    [
        ("Organisations", new() { ["Id"] = OrganisationId, ["Name"] = OrganisationName, ["Slug"] = "upgraded", ["TimeZone"] = "Europe/Berlin" }),
        ("People", new() { ["Id"] = PersonId, ["Name"] = "Ulla Upgrade", ["Email"] = "ulla@upgrade.test", ["Role"] = Role.Admin }),
        ("Teams", new() { ["Id"] = TeamId, ["Name"] = "Upgrade team" }),
        ("TeamMemberships", new() { ["TeamId"] = TeamId, ["PersonId"] = PersonId, ["IsLead"] = true }),
        ("Cycles", new() { ["Id"] = CycleId, ["Name"] = "2027 Q1", ["Start"] = new DateOnly(2027, 1, 1), ["End"] = new DateOnly(2027, 3, 31) }),
        ("Objectives", new() { ["Id"] = ObjectiveId, ["Title"] = "Survive every upgrade", ["CycleId"] = CycleId, ["OwnerTeamId"] = TeamId }),
        ("KeyResults", new() { ["Id"] = KeyResultId, ["Title"] = "Nothing lost", ["ObjectiveId"] = ObjectiveId, ["Target"] = 100.0 }),
        ("Kpis", new() { ["Id"] = KpiId, ["Name"] = "Upgrade leads", ["Key"] = "upgrade-leads", ["OwnerTeamId"] = TeamId }),
        // Before KPIs were numbered, values named their KPI by id.
        .. Enumerable.Range(0, 3).Select(i => ("KpiValues", new Dictionary<string, object?> { ["KpiId"] = KpiId, ["At"] = FirstValueAt.AddDays(i), ["Value"] = i + 1.5 })),
    ];

    [Theory]
    [OnEveryDatabase]
    public async Task ADatabaseLeftAtEveryEarlierMigrationKeepsItsDataWhenMigratedToTheLatest(DatabaseProvider provider)
    {
        string[] migrations;
        await using (var services = Services(provider, provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : TestDatabase.PostgresServer))
        {
            await using var scope = services.CreateAsyncScope();
            migrations = [.. scope.ServiceProvider.GetRequiredService<OkapiDbContext>().Database.GetMigrations()];
        }

        Assert.True(migrations.Length > 1, "there are no earlier migrations to upgrade from");
        foreach (var migration in migrations[..^1])
        {
            await using var database = TestDatabase.Create(provider);
            await using var services = Services(provider, database.ConnectionString);
            HashSet<string> filled;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
                await db.GetService<IMigrator>().MigrateAsync(migration);
                filled = await FillAsync(db, provider, migration);
            }

            Assert.Contains("Objectives", filled);
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
                await db.Database.MigrateAsync();
                await AssertKeptAsync(db, filled, migration);
            }
        }
    }

    private static async Task AssertKeptAsync(OkapiDbContext db, HashSet<string> filled, string migration)
    {
        var because = $" (upgraded from {migration})";
        Assert.True(OrganisationName == (await db.Organisations.SingleAsync(o => o.Id == OrganisationId)).Name, "organisation" + because);
        var person = await db.People.IgnoreQueryFilters().SingleAsync(p => p.Id == PersonId);
        Assert.True(person is { Name: "Ulla Upgrade", Role: Role.Admin, OrganisationId: var o } && o == OrganisationId, "person" + because);
        var team = await db.Teams.IgnoreQueryFilters().Include(t => t.Members).SingleAsync(t => t.Id == TeamId);
        Assert.True(team.Name == "Upgrade team" && team.Members.Single().PersonId == PersonId, "team" + because);
        var cycle = await db.Cycles.IgnoreQueryFilters().SingleAsync(c => c.Id == CycleId);
        Assert.True(cycle is { Name: "2027 Q1" } && cycle.End == new DateOnly(2027, 3, 31), "cycle" + because);
        var objective = await db.Objectives.IgnoreQueryFilters().SingleAsync(x => x.Id == ObjectiveId);
        Assert.True(objective.Title == "Survive every upgrade" && objective.CycleId == CycleId && objective.OwnerTeamId == TeamId, "objective" + because);
        var keyResult = await db.KeyResults.IgnoreQueryFilters().SingleAsync(k => k.Id == KeyResultId);
        Assert.True(keyResult is { Title: "Nothing lost", Target: 100.0 } && keyResult.ObjectiveId == ObjectiveId, "key result" + because);
        if (filled.Contains("Kpis"))
        {
            var kpi = await db.Kpis.IgnoreQueryFilters().SingleAsync(k => k.Id == KpiId);
            Assert.True(kpi.Name == "Upgrade leads" && kpi.OwnerTeamId == TeamId, "KPI" + because);
            var values = await db.ValuesOf(KpiId).IgnoreQueryFilters().OrderBy(v => v.At).Select(v => new { v.At, v.Value }).ToListAsync();
            Assert.Equal([(FirstValueAt, 1.5), (FirstValueAt.AddDays(1), 2.5), (FirstValueAt.AddDays(2), 3.5)], values.Select(v => (v.At, v.Value)));
        }
    }

    /// <summary>Writes <see cref="Rows"/> into the tables that exist; answers which were filled.</summary>
    private static async Task<HashSet<string>> FillAsync(OkapiDbContext db, DatabaseProvider provider, string migration)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var model = db.GetService<IDesignTimeModel>().Model;
        var filled = new HashSet<string>();
        foreach (var (table, values) in Rows)
        {
            var columns = await ColumnsAsync(connection, provider, table);
            if (columns.Count == 0)
            {
                continue;
            }

            var names = new List<string>();
            var literals = new List<string>();
            foreach (var column in columns)
            {
                var property = model.GetEntityTypes().Where(e => e.GetTableName() == table)
                    .SelectMany(e => e.GetProperties()).FirstOrDefault(p => p.GetColumnName() == column.Name);
                string? literal;
                if (values.TryGetValue(column.Name, out var value) || column.Name == "OrganisationId" && (value = OrganisationId) is not null)
                {
                    literal = Literal(property, value, column, provider);
                }
                else if (property?.GetContainingForeignKeys().FirstOrDefault(f => filled.Contains(f.PrincipalEntityType.GetTableName()!)) is { } key)
                {
                    // The row made before in the principal's table; one row per table, so the first is it.
                    var principal = key.PrincipalKey.Properties[key.Properties.ToList().IndexOf(property)];
                    literal = $"(SELECT \"{principal.GetColumnName()}\" FROM \"{key.PrincipalEntityType.GetTableName()}\" LIMIT 1)";
                }
                else
                {
                    literal = column.Required ? Literal(property, Sample(property), column, provider) : null;
                }

                if (literal is not null)
                {
                    names.Add($"\"{column.Name}\"");
                    literals.Add(literal);
                }
            }

            var sql = $"INSERT INTO \"{table}\" ({string.Join(", ", names)}) VALUES ({string.Join(", ", literals)})";
            try
            {
                await db.Database.ExecuteSqlRawAsync(sql);
            }
            catch (DbException e)
            {
                Assert.Fail($"At {migration}, {sql} failed: {e.Message}");
            }

            filled.Add(table);
        }

        await db.Database.CloseConnectionAsync();
        return filled;
    }

    private sealed record Column(string Name, string Type, bool Required);

    /// <summary>The table's columns as they are now; a column that is nullable, has a default or numbers itself is not required.</summary>
    private static async Task<List<Column>> ColumnsAsync(DbConnection connection, DatabaseProvider provider, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = provider == DatabaseProvider.Sqlite
            ? $"SELECT name, type, \"notnull\" = 1 AND dflt_value IS NULL AND NOT (pk = 1 AND upper(type) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info('{table}') WHERE pk > 0) = 1) FROM pragma_table_info('{table}')"
            : $"SELECT column_name, data_type, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position";
        var columns = new List<Column>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(new Column(reader.GetString(0), reader.GetString(1), Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return columns;
    }

    /// <summary>A value of the current model's type for a column the test has no value of its own for.</summary>
    private static object? Sample(IProperty? property)
    {
        var type = property is null ? null : Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        return type switch
        {
            null => null,
            _ when type == typeof(string) => "upgraded",
            _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
            _ when type == typeof(Guid) => Guid.CreateVersion7(),
            _ when type == typeof(DateTime) => FirstValueAt,
            _ when type == typeof(DateTimeOffset) => new DateTimeOffset(FirstValueAt),
            _ when type == typeof(DateOnly) => DateOnly.FromDateTime(FirstValueAt),
            _ when type == typeof(TimeOnly) => new TimeOnly(9, 0),
            _ when type == typeof(TimeSpan) => TimeSpan.Zero,
            _ when type == typeof(bool) => false,
            _ when type.IsArray => Array.CreateInstance(type.GetElementType()!, 0),
            _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) => Activator.CreateInstance(type),
            _ => Convert.ChangeType(0, type, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The value as the current model writes it, or, for a column it no longer has, as the column's type reads it.</summary>
    private static string Literal(IProperty? property, object? value, Column column, DatabaseProvider provider)
    {
        if (property is not null && value is not null)
        {
            try
            {
                return property.GetRelationalTypeMapping().GenerateSqlLiteral(value);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or InvalidCastException)
            {
                // Collections and JSON columns that the mapping cannot write as a literal: written by the column's type.
            }
        }

        var type = column.Type.ToLowerInvariant();
        return value switch
        {
            Guid id => provider == DatabaseProvider.Sqlite ? $"'{id.ToString().ToUpperInvariant()}'" : $"'{id}'",
            string text => $"'{text.Replace("'", "''")}'",
            _ when type.Contains("json") || type == "text" || type.StartsWith("character") => "'[]'",
            _ when type == "array" => "'{}'",
            _ when type.Contains("uuid") => $"'{Guid.CreateVersion7()}'",
            _ when type.Contains("timestamp") => "'2027-01-04T09:00:00Z'",
            _ when type == "date" => "'2027-01-04'",
            _ when type == "boolean" => "false",
            _ when type == "bytea" || type == "blob" => provider == DatabaseProvider.Sqlite ? "X''" : "'\\x'",
            _ => "0",
        };
    }

    private static ServiceProvider Services(DatabaseProvider provider, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Okapi:Database:Provider"] = provider.ToString(),
            ["Okapi:Database:ConnectionString"] = connectionString,
        }).Build();
        return new ServiceCollection().AddOkapiData(configuration).BuildServiceProvider();
    }
}
