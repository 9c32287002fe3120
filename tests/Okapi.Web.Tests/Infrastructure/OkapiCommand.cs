using System.Diagnostics;
using Okapi.Data;

namespace Okapi.Web.Tests.Infrastructure;

/// <summary>Okapi run as its own process on a database, as an operator runs it: a command, or the server itself.</summary>
public static class OkapiCommand
{
    /// <summary>
    /// Runs Okapi with <paramref name="args"/> until it exits; one that runs past <paramref name="timeout"/> (60 s by
    /// default) is killed and fails the test.
    /// </summary>
    public static async Task<(int Exit, string Output, string Error)> RunAsync(DatabaseProvider provider, string connectionString, string[] args, TimeSpan? timeout = null)
    {
        var assembly = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(assembly)! };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Okapi__Database__Provider"] = provider.ToString();
        start.Environment["Okapi__Database__ConnectionString"] = connectionString;
        // A server that starts after all listens on a port of its own, never one a test or a developer uses.
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"okapi {string.Join(' ', args)} still ran after {timeout ?? TimeSpan.FromSeconds(60)}; it wrote: {await output} {await error}");
        }

        return (process.ExitCode, await output, await error);
    }
}
