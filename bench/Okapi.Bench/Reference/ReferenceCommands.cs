using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Okapi.Data;

namespace Okapi.Bench.Reference;

/// <summary>Command-line options of <c>generate</c> and <c>reference</c>.</summary>
public sealed record ReferenceOptions(int People, double ValueScale, DatabaseProvider Provider, string DataFolder, string? ConnectionString)
{
    public ReferenceDatabase Database => new(Provider, DataFolder, ConnectionString);

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

    /// <summary><c>reference</c>: the reference benchmark.</summary>
    public static Task<int> BenchmarkAsync(string[] args) => throw new NotImplementedException();
}
