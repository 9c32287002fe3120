namespace Okapi.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Configuration section <c>Okapi:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Okapi:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Connection string; for SQLite it defaults to <c>okapi.db</c> in <see cref="DataFolder"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder of the SQLite file, relative to the working directory unless absolute.</summary>
    public string DataFolder { get; set; } = "data";

    public string ResolveConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        if (Provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Okapi:Database:ConnectionString is required for PostgreSQL.");
        }

        var folder = Path.GetFullPath(DataFolder);
        PrivateFolder.Create(folder);
        return $"Data Source={Path.Combine(folder, "okapi.db")}";
    }
}
