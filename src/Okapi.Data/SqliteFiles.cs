using Microsoft.Data.Sqlite;

namespace Okapi.Data;

/// <summary>
/// Creates the SQLite database's folder and file readable by the app's own user only (0700 and 0600) before SQLite
/// opens it: the file holds password and token hashes and the key ring that signs sessions, and SQLite would create
/// it by the process umask, usually readable by every local user. SQLite gives its -wal and -shm files the database
/// file's mode. Only what Okapi creates is set; a folder or file that already exists keeps the mode its owner gave it.
/// Unix only; elsewhere the folder's access list is inherited as usual.
/// </summary>
public static class SqliteFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Prepare(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (OperatingSystem.IsWindows() || builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source) ||
            source == ":memory:" || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var path = Path.GetFullPath(source);
        if (Path.GetDirectoryName(path) is { } folder)
        {
            PrivateFolder.Create(folder);
        }

        try
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created before, with whatever mode it was given then.
            return;
        }

        // An empty file is opened read-only by EF Core's check for an existing database, where the pragmas cannot
        // switch it to write-ahead logging: it is made a database in WAL mode now, the mode being kept in the file.
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
