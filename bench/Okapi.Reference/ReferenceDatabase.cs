using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Data;

namespace Okapi.Reference;

/// <summary>
/// Where a reference organisation lives: a SQLite file in a data folder (as Okapi itself finds it through
/// <c>Okapi:Database:DataFolder</c>) or a PostgreSQL database. The folder also keeps <see cref="ReferenceFile"/>.
/// </summary>
public sealed record ReferenceDatabase(DatabaseProvider Provider, string DataFolder, string? ConnectionString)
{
    /// <summary>The settings Okapi reads, for a context here and for the app started on the same database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Okapi:Database:Provider"] = Provider.ToString(),
        ["Okapi:Database:DataFolder"] = DataFolder,
        ["Okapi:Database:ConnectionString"] = ConnectionString,
    };

    /// <summary>Okapi's own data services on this database, as the app registers them.</summary>
    public ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        return new ServiceCollection().AddOkapiData(configuration).BuildServiceProvider();
    }

    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite in {Path.GetFullPath(DataFolder)}"
        : $"PostgreSQL ({ConnectionString})";
}
