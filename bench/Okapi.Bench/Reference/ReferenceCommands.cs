using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Okapi.Data;

using Okapi.Reference;

namespace Okapi.Bench.Reference;

/// <summary>Command-line options of <c>generate</c> and <c>reference</c>.</summary>
public sealed record ReferenceOptions(int People, double ValueScale, DatabaseProvider Provider, string DataFolder, string? ConnectionString)
{
    public ReferenceDatabase Database => new(Provider, DataFolder, ConnectionString);

    /// <summary>The same at 100 people, in a folder (and PostgreSQL database) of its own beside this one.</summary>
    public ReferenceOptions Small() => this with
    {
        People = 100,
        DataFolder = DataFolder.TrimEnd('/') + "-small",
        ConnectionString = ConnectionString is null ? null : SmallDatabase(ConnectionString),
    };

    private static string SmallDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Database = (builder.Database ?? "okapi") + "_small";
        return builder.ConnectionString;
    }

    public static ReferenceOptions Parse(string[] args, int people, string dataFolder)
    {
        var options = new ReferenceOptions(people, 1, DatabaseProvider.Sqlite, dataFolder, null);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--people" => options with { People = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--value-scale" => options with { ValueScale = double.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--data" => options with { DataFolder = Path.GetFullPath(args[++i]) },
                "--provider" => options with { Provider = Enum.Parse<DatabaseProvider>(args[++i], ignoreCase: true) },
                "--connection" => options with { ConnectionString = args[++i] },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --people, --value-scale, --data, --provider sqlite|postgres, --connection"),
            };
        }

        return options.Provider == DatabaseProvider.Postgres && options.ConnectionString is null
            ? throw new ArgumentException("--provider postgres needs --connection \"Host=…;Database=…;Username=…\"")
            : options;
    }
}

public static class ReferenceCommands
{
    /// <summary><c>generate</c>: writes the reference organisation into the database and its <see cref="ReferenceFile"/> into the data folder.</summary>
    public static async Task<int> GenerateAsync(string[] args)
    {
        var options = ReferenceOptions.Parse(args, ReferenceSize.ReferencePeople, "reference-data");
        if (ReferenceFile.Read(options.DataFolder) is { } existing)
        {
            await Console.Error.WriteLineAsync($"{options.DataFolder} already holds a reference organisation of {existing.People:N0} people; remove it (and its database) to generate again.");
            return 2;
        }

        await GenerateAsync(options, DateTimeOffset.UtcNow);
        return 0;
    }

    public static async Task<ReferenceFile> GenerateAsync(ReferenceOptions options, DateTimeOffset now)
    {
        Console.WriteLine($"Generating the reference organisation ({options.People:N0} people) into {options.Database.Describe()} …");
        await using var services = options.Database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        var file = await new ReferenceOrganisation(new ReferenceSize(options.People, options.ValueScale), now, Console.Out).WriteAsync(db);
        file.Write(options.DataFolder);
        Console.WriteLine($"Sign-ins, tokens and ids are in {Path.Combine(options.DataFolder, ReferenceFile.FileName)}.");
        return file;
    }

    /// <summary>
    /// <c>reference</c>: the benchmark at 100 people and then at the reference size, each organisation generated on first
    /// use and reused after; ends with the "small …" and "reference …" lines and exits non-zero when a measure failed.
    /// </summary>
    public static async Task<int> BenchmarkAsync(string[] args)
    {
        var samples = 200;
        if (Array.IndexOf(args, "--samples") is var at and >= 0)
        {
            samples = int.Parse(args[at + 1], CultureInfo.InvariantCulture);
            args = [.. args[..at], .. args[(at + 2)..]];
        }

        var reference = ReferenceOptions.Parse(args, ReferenceSize.ReferencePeople, "reference-data");
        var lines = new List<string>();
        var failures = new List<string>();
        foreach (var (label, options) in new[] { ("small", reference.Small()), ("reference", reference) })
        {
            try
            {
                var file = await ReuseOrGenerateAsync(options);
                Console.WriteLine($"Measuring {label} ({options.People:N0} people, {samples} requests a measure) on {options.Database.Describe()} …");
                var benchmark = new ReferenceBenchmark(options.Database, file, samples, Console.Out);
                // The import measures the same 10,000 key results whatever the organisation's size, so it runs once.
                await benchmark.RunAsync(withImport: label == "reference");
                lines.AddRange(benchmark.Lines.Select(l => $"{label} {l}"));
                failures.AddRange(benchmark.Failures.Select(f => $"{label} {f}"));
            }
            catch (BenchFailure e)
            {
                failures.Add($"{label}: {e.Message}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"==== Okapi reference benchmark ({reference.Provider}, one machine) ====");
        lines.ForEach(Console.WriteLine);
        failures.ForEach(f => Console.WriteLine($"FAILED {f}"));
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The organisation the data folder names, when its database still holds it at this size; else a new one.</summary>
    private static async Task<ReferenceFile> ReuseOrGenerateAsync(ReferenceOptions options)
    {
        if (ReferenceFile.Read(options.DataFolder) is not { } file)
        {
            return await GenerateAsync(options, DateTimeOffset.UtcNow);
        }

        if (file.People != options.People || file.ValueScale != options.ValueScale)
        {
            throw new BenchFailure($"{options.DataFolder} holds an organisation of {file.People:N0} people (value scale {file.ValueScale}); remove it or choose another --data.");
        }

        await using var services = options.Database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OkapiDbContext>();
        if (!await db.Organisations.AnyAsync(o => o.Id == file.OrganisationId))
        {
            throw new BenchFailure($"{options.DataFolder} names organisation {file.OrganisationId}, which {options.Database.Describe()} does not hold.");
        }

        Console.WriteLine($"Reusing the organisation of {file.People:N0} people generated on {file.GeneratedFor:yyyy-MM-dd HH:mm} in {options.Database.Describe()}.");
        return file;
    }
}
