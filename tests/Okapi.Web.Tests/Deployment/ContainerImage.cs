using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Okapi.Web.Tests.Deployment;

/// <summary>
/// The image that <c>deploy/build-image.sh</c> writes, built once for the tests that share this fixture, in a temporary
/// folder that is removed afterwards. It needs what the script needs (mmdebstrap, umoci, jq, the SDK, a Debian mirror
/// and NuGet); test.sh installs the Debian packages. A missing tool fails the build and so every test, with the
/// script's message.
/// </summary>
public sealed class ContainerImage : IAsyncLifetime
{
    /// <summary>Publishing and a Debian root filesystem on two busy cores.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    public string Folder { get; } = Directory.CreateTempSubdirectory("okapi-image-").FullName;

    public string Archive => Path.Combine(Folder, "okapi.tar");

    /// <summary>The OCI image layout, unpacked from the archive.</summary>
    public string Layout => Path.Combine(Folder, "layout");

    public JsonElement Index { get; private set; }

    public JsonElement Manifest { get; private set; }

    /// <summary>The image configuration (its <c>config</c> member is what a container starts with).</summary>
    public JsonElement Config { get; private set; }

    public string BuildOutput { get; private set; } = "";

    public static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (!File.Exists(Path.Combine(folder.FullName, "Okapi.slnx")))
            {
                folder = folder.Parent ?? throw new InvalidOperationException("No Okapi.slnx above the test assembly.");
            }

            return folder.FullName;
        }
    }

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepositoryRoot, "deploy", "build-image.sh");
        var (exit, output) = await RunAsync("bash", [script, Archive], BuildTimeout);
        BuildOutput = output;
        if (exit != 0)
        {
            throw new InvalidOperationException($"deploy/build-image.sh exited with {exit}:\n{output}");
        }

        Directory.CreateDirectory(Layout);
        await TarFile.ExtractToDirectoryAsync(Archive, Layout, overwriteFiles: false);
        Index = await ReadJsonAsync(Path.Combine(Layout, "index.json"));
        Manifest = await ReadJsonAsync(BlobPath(Index.GetProperty("manifests")[0].GetProperty("digest").GetString()!));
        Config = await ReadJsonAsync(BlobPath(Manifest.GetProperty("config").GetProperty("digest").GetString()!));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    public string BlobPath(string digest) => Path.Combine(Layout, "blobs", "sha256", digest["sha256:".Length..]);

    public IEnumerable<string> LayerPaths() =>
        Manifest.GetProperty("layers").EnumerateArray().Select(l => BlobPath(l.GetProperty("digest").GetString()!));

    /// <summary>
    /// Every entry of every layer (gzip-compressed tars), with the path as a container sees it, and the text of the
    /// files named in <paramref name="read"/>.
    /// </summary>
    public async Task<(List<(string Path, TarEntry Entry)> Entries, Dictionary<string, string> Texts)> LayerEntriesAsync(params string[] read)
    {
        var entries = new List<(string, TarEntry)>();
        var texts = new Dictionary<string, string>();
        foreach (var layer in LayerPaths())
        {
            await using var file = File.OpenRead(layer);
            await using var gzip = new GZipStream(file, CompressionMode.Decompress);
            await using var reader = new TarReader(gzip);
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                var path = "/" + entry.Name.TrimStart('.', '/').TrimEnd('/');
                entries.Add((path, entry));
                if (read.Contains(path) && entry.DataStream is { } data)
                {
                    using var text = new StreamReader(data);
                    texts[path] = await text.ReadToEndAsync();
                }
            }
        }

        return (entries, texts);
    }

    /// <summary>Runs a process to its end and returns its exit code and its output and error interleaved.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string command, IEnumerable<string> args, TimeSpan timeout,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            start.Environment.Clear();
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', args)} took longer than {timeout}:\n{output}");
        }

        process.WaitForExit();
        return (process.ExitCode, Text(output));
    }

    internal static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    internal static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(string path)
    {
        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file);
        return document.RootElement.Clone();
    }
}
