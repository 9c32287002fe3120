using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Okapi.Data;

namespace Okapi.Web.Features.Setup;

/// <summary>
/// The <c>backup</c> and <c>restore</c> commands. SQLite is copied with SQLite's online backup API: it reads one
/// snapshot inside a read transaction, so the copy includes what the write-ahead log holds and Okapi keeps serving and
/// writing meanwhile. <c>VACUUM INTO</c> would do the same for the backup, but the backup API also writes the restore
/// into a fresh file, so one mechanism serves both directions and copies pages as they are. PostgreSQL is left to its
/// own tools, <c>pg_dump --format=custom</c> and <c>pg_restore</c>, found on the PATH or where Debian installs them.
/// The answer is the command's exit code: 0 done, 1 refused or failed, 2 a bad argument; what went wrong goes to
/// standard error, what was done to standard output.
/// </summary>
public sealed class DatabaseBackup(OkapiDbContext db, DatabaseOptions options)
{
    private string ConnectionString => db.Database.GetConnectionString()!;

    public async Task<int> BackupAsync(string output, bool overwrite, CancellationToken ct)
    {
        output = Path.GetFullPath(output);
        if (File.Exists(output) && !overwrite)
        {
            return await RefuseAsync($"{output} already exists: choose another file or add --force to replace it.", 2);
        }

        if (!Directory.Exists(Path.GetDirectoryName(output)))
        {
            return await RefuseAsync($"The folder of {output} does not exist.", 2);
        }

        return options.Provider == DatabaseProvider.Postgres ? await PgDumpAsync(output, ct) : await SqliteBackupAsync(output, ct);
    }

    public async Task<int> RestoreAsync(string input, bool force, CancellationToken ct)
    {
        input = Path.GetFullPath(input);
        if (!File.Exists(input))
        {
            return await RefuseAsync($"There is no backup at {input}.", 2);
        }

        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct) && await creator.HasTablesAsync(ct) && !force)
        {
            return await RefuseAsync($"The configured database ({Describe()}) is not empty. Restoring replaces everything in it: " +
                "stop Okapi, then run restore again with --force.", 1);
        }

        return options.Provider == DatabaseProvider.Postgres ? await PgRestoreAsync(input, creator, ct) : await SqliteRestoreAsync(input, ct);
    }

    private async Task<int> SqliteBackupAsync(string output, CancellationToken ct)
    {
        var source = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        if (!File.Exists(source) || !await db.GetService<IRelationalDatabaseCreator>().HasTablesAsync(ct))
        {
            return await RefuseAsync($"The database {Path.GetFullPath(source)} is empty: there is nothing to back up.", 1);
        }

        // Written beside the target and moved at the end, so that a file of that name is always a whole backup.
        var partial = output + ".partial";
        await CopySqliteAsync(source, partial, journalMode: "DELETE", ct);
        File.Move(partial, output, overwrite: true);
        await Console.Out.WriteLineAsync($"Backed up {Path.GetFullPath(source)} to {output}.");
        return 0;
    }

    private async Task<int> SqliteRestoreAsync(string input, CancellationToken ct)
    {
        if (!await IsOkapiSqliteAsync(input, ct))
        {
            return await RefuseAsync($"{input} is not a backup of an Okapi SQLite database.", 2);
        }

        var target = Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
        var restoring = target + ".restoring";
        await CopySqliteAsync(input, restoring, journalMode: "WAL", ct);

        // The old database's log and shared memory belong to the old file: applied to the restored one they would corrupt it.
        await db.Database.CloseConnectionAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(target + "-wal");
        File.Delete(target + "-shm");
        File.Move(restoring, target, overwrite: true);
        await Console.Out.WriteLineAsync($"Restored {input} into {target}.");
        return 0;
    }

    /// <summary>Copies a SQLite database through the online backup API into a new file readable by the app's user only.</summary>
    private static async Task CopySqliteAsync(string source, string target, string journalMode, CancellationToken ct)
    {
        foreach (var stale in new[] { target, target + "-wal", target + "-shm", target + "-journal" })
        {
            File.Delete(stale);
        }

        await CreatePrivateFileAsync(target);

        await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString))
        await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ConnectionString))
        {
            await from.OpenAsync(ct);
            await to.OpenAsync(ct);
            await ExecuteAsync(from, "PRAGMA busy_timeout=30000;", ct);
            from.BackupDatabase(to);
            await ExecuteAsync(to, $"PRAGMA journal_mode={journalMode};", ct);
            var check = await ExecuteAsync(to, "PRAGMA integrity_check;", ct);
            if (check != "ok")
            {
                throw new InvalidOperationException($"The copy failed SQLite's integrity check: {check}");
            }
        }

        File.Delete(target + "-wal");
        File.Delete(target + "-shm");
    }

    private static async Task<bool> IsOkapiSqliteAsync(string file, CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
            await connection.OpenAsync(ct);
            return await ExecuteAsync(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory';", ct) == "1";
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>An empty file readable by Okapi's user only, for a backup to be written into (the tools keep its mode).</summary>
    private static async Task CreatePrivateFileAsync(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            await using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = SqliteFiles.FileMode });
        }
    }

    private static async Task<string?> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync(ct))?.ToString();
    }

    /// <summary>
    /// Dumps into a partial file made readable by Okapi's user only (pg_dump keeps an existing file's mode), which
    /// replaces the output only once pg_dump succeeded: a failed dump leaves an earlier backup as it was.
    /// </summary>
    private async Task<int> PgDumpAsync(string output, CancellationToken ct)
    {
        var partial = output + ".partial";
        File.Delete(partial);
        await CreatePrivateFileAsync(partial);

        try
        {
            var exit = await RunPostgresToolAsync("pg_dump", ["--format=custom", $"--file={partial}", "--no-password", $"--dbname={Conninfo()}"], $"Backed up {Describe()} to {output}.", ct);
            if (exit == 0)
            {
                File.Move(partial, output, overwrite: true);
            }

            return exit;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private async Task<int> PgRestoreAsync(string input, IRelationalDatabaseCreator creator, CancellationToken ct)
    {
        if (!await creator.ExistsAsync(ct))
        {
            await creator.CreateAsync(ct);
        }
        else
        {
            // pg_restore --clean drops only what the dump holds: tables a newer version added would stay behind while
            // the migration history goes back, and the next upgrade would fail on them. Start from an empty schema.
            await db.Database.ExecuteSqlRawAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;", ct);
        }

        return await RunPostgresToolAsync("pg_restore", ["--clean", "--if-exists", "--no-owner", "--exit-on-error", "--single-transaction", "--no-password", $"--dbname={Conninfo()}", input],
            $"Restored {input} into {Describe()}.", ct);
    }

    private async Task<int> RunPostgresToolAsync(string tool, string[] arguments, string done, CancellationToken ct)
    {
        var password = new NpgsqlConnectionStringBuilder(ConnectionString).Password;
        if (FindPostgresTool(tool) is not { } path)
        {
            var line = string.Join(' ', new[] { tool }.Concat(arguments).Select(ShellQuote));
            return await RefuseAsync($"{tool} is not on the PATH nor in /usr/lib/postgresql/*/bin. Install PostgreSQL's client tools " +
                $"(Debian: apt-get install postgresql-client), or run{(password is null ? "" : ", with the database password in PGPASSWORD")}:{Environment.NewLine}  {line}", 1);
        }

        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (password is not null)
        {
            // In the environment rather than the arguments, where every local user could read it.
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            return await RefuseAsync($"{tool} failed with exit code {process.ExitCode}.", 1);
        }

        await Console.Out.WriteLineAsync(done);
        return 0;
    }

    /// <summary>The tool on the PATH, else the newest PostgreSQL's on Debian, where the server's binaries are not on the PATH.</summary>
    private static string? FindPostgresTool(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, tool));
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(v => int.TryParse(Path.GetFileName(v), out var major) ? major : 0)
                .Select(version => Path.Combine(version, "bin", tool))
            : [];
        return onPath.Concat(debian).FirstOrDefault(File.Exists);
    }

    /// <summary>The connection as libpq reads it, without the password.</summary>
    private string Conninfo()
    {
        var settings = new NpgsqlConnectionStringBuilder(ConnectionString);
        var pairs = new List<(string, string?)>
        {
            ("host", settings.Host), ("port", settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("user", settings.Username), ("dbname", settings.Database),
            ("sslmode", settings.SslMode switch
            {
                SslMode.Disable => "disable", SslMode.Allow => "allow", SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca", SslMode.VerifyFull => "verify-full", _ => null,
            }),
        };
        return string.Join(' ', pairs.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}='{p.Item2!.Replace(@"\", @"\\").Replace("'", @"\'")}'"));
    }

    private string Describe()
    {
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
        }

        var settings = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL database {settings.Database} on {settings.Host}:{settings.Port}";
    }

    private static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || "-_=./:".Contains(c)) ? value : $"'{value.Replace("'", @"'\''")}'";

    private async Task<int> RefuseAsync(string message, int exitCode)
    {
        await Console.Error.WriteLineAsync(message);
        return exitCode;
    }
}
