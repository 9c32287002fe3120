using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using Okapi.Reference;

namespace Okapi.Bench;

/// <summary>Okapi's Release build run as a child process on a SQLite data folder or a PostgreSQL database, as an operator would run it.</summary>
public sealed class OkapiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dll;
    private readonly Dictionary<string, string> _environment;

    public string DataFolder { get; }
    public Uri BaseAddress { get; }

    private OkapiProcess(Process process, string dll, Dictionary<string, string> environment, string dataFolder, Uri baseAddress)
    {
        _process = process;
        _dll = dll;
        _environment = environment;
        DataFolder = dataFolder;
        BaseAddress = baseAddress;
    }

    public static Task<OkapiProcess> StartAsync(string dataFolder) =>
        StartAsync(new Dictionary<string, string> { ["Okapi__Database__DataFolder"] = dataFolder }, dataFolder);

    /// <summary>Okapi on a reference organisation's database, SQLite or PostgreSQL.</summary>
    public static Task<OkapiProcess> StartAsync(ReferenceDatabase database) =>
        StartAsync(database.Settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value!), database.DataFolder);

    private static async Task<OkapiProcess> StartAsync(Dictionary<string, string> database, string dataFolder)
    {
        var dll = FindOkapiWeb();
        var port = FreePort();
        var environment = new Dictionary<string, string>(database)
        {
            ["Okapi__AdminPassword"] = "Bench-" + Guid.NewGuid().ToString("N"),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            // Errors go where the bench shows them, so that a failed request can be traced to its exception.
            ["Logging__Console__LogToStandardErrorThreshold"] = "Error",
        };
        var process = Start(dll, environment, "--urls", $"http://127.0.0.1:{port}");
        var okapi = new OkapiProcess(process, dll, environment, dataFolder, new Uri($"http://127.0.0.1:{port}"));
        await okapi.WaitUntilHealthyAsync();
        return okapi;
    }

    /// <summary>The peak resident memory of the Okapi process so far (VmHWM), in MB.</summary>
    public double PeakMemoryMegabytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>An admin token from the app's own <c>create-token</c> command against the same data folder.</summary>
    public Task<string> CreateTokenAsync() => RunAsync("create-token", "--name", "bench", "--scope", "admin");

    /// <summary>Runs one of the app's commands (create-token, create-organisation) against the same database; returns its last line.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        using var command = Start(_dll, _environment, arguments);
        var output = await command.StandardOutput.ReadToEndAsync();
        await command.WaitForExitAsync();
        if (command.ExitCode != 0)
        {
            throw new BenchFailure($"{arguments[0]} exited with {command.ExitCode}: {await command.StandardError.ReadToEndAsync()}");
        }

        return output.Trim().Split('\n')[^1].Trim();
    }

    public HttpClient Client(string token, int connections = 8)
    {
        var client = new HttpClient(Handler(connections)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static SocketsHttpHandler Handler(int connections) => new()
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new BenchFailure($"Okapi exited with {_process.ExitCode} while starting.");
            }

            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(200);
        }

        throw new BenchFailure("Okapi did not answer /healthz within 60 s.");
    }

    private static Process Start(string dll, Dictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new BenchFailure("could not start dotnet");
        if (arguments[0] == "--urls")
        {
            // Drain the server's output so that a full pipe never blocks it; show only errors.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { Length: > 0 } line)
                {
                    Console.Error.WriteLine($"  okapi: {line}");
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>src/Okapi.Web's build output in the bench's own configuration (the project reference builds it first).</summary>
    private static string FindOkapiWeb()
    {
        var configuration = typeof(OkapiProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Okapi.slnx")))
            {
                var dll = Path.Combine(folder.FullName, "src", "Okapi.Web", "bin", configuration, "net10.0", "Okapi.Web.dll");
                return File.Exists(dll) ? dll : throw new BenchFailure($"{dll} is missing: build src/Okapi.Web in {configuration} first.");
            }
        }

        throw new BenchFailure("Okapi.slnx not found above the bench's folder.");
    }
}

/// <summary>A part of the benchmark could not be measured; the run exits non-zero instead of printing a figure.</summary>
public sealed class BenchFailure(string message) : Exception(message);
