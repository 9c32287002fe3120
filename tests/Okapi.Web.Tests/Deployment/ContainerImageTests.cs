using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Okapi.Web.Tests.Infrastructure;

namespace Okapi.Web.Tests.Deployment;

/// <summary>
/// deploy/build-image.sh writes an OCI image archive that container tools load, whose configuration runs Okapi as a
/// user without privileges on port 8080 with /data as its volume, and whose root filesystem runs Okapi.
/// </summary>
public sealed class ContainerImageTests(ContainerImage image) : IClassFixture<ContainerImage>
{
    private const string Entrypoint = "/app/Okapi.Web";

    [Fact]
    public void TheConfigRunsOkapiAsAUserWithoutPrivilegesOnPort8080WithDataAsItsVolume()
    {
        Assert.Equal(2, image.Index.GetProperty("schemaVersion").GetInt32());
        var named = image.Index.GetProperty("manifests")[0].GetProperty("annotations");
        Assert.Equal("okapi:local", named.GetProperty("org.opencontainers.image.ref.name").GetString());
        Assert.Equal("docker.io/library/okapi:local", named.GetProperty("io.containerd.image.name").GetString());
        Assert.Equal("application/vnd.oci.image.config.v1+json", image.Manifest.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(("linux", "amd64"), (image.Config.GetProperty("os").GetString(), image.Config.GetProperty("architecture").GetString()));

        var config = image.Config.GetProperty("config");
        Assert.Equal("10001:10001", config.GetProperty("User").GetString());
        Assert.Equal(["8080/tcp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["/data"], config.GetProperty("Volumes").EnumerateObject().Select(p => p.Name));
        Assert.Equal([Entrypoint], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app", config.GetProperty("WorkingDir").GetString());
        var environment = ImageEnvironment(config);
        Assert.Equal("8080", environment["ASPNETCORE_HTTP_PORTS"]);
        Assert.Equal("/data", environment["Okapi__Database__DataFolder"]);
        Assert.Equal([Entrypoint, "healthcheck"], config.GetProperty("Healthcheck").GetProperty("Test").EnumerateArray().Skip(1).Select(e => e.GetString()));
    }

    [Fact]
    public async Task TheLayersHoldTheAppReadOnlyAndADataFolderOnlyItsUserMayEnter()
    {
        var (all, texts) = await image.LayerEntriesAsync("/etc/passwd");
        var entries = all.ToLookup(e => e.Path, e => e.Entry);

        var app = Assert.Single(entries[Entrypoint]);
        Assert.Equal(TarEntryType.RegularFile, app.EntryType);
        Assert.True(app.Mode.HasFlag(UnixFileMode.OtherExecute), "Okapi.Web is executable by any user.");
        Assert.Equal(0, app.Uid);
        Assert.Single(entries["/app/Okapi.Web.dll"]);
        Assert.Single(entries["/app/wwwroot"]);
        Assert.Single(entries["/usr/share/zoneinfo/Europe/Berlin"]);
        Assert.Single(entries["/etc/ssl/certs/ca-certificates.crt"]);
        Assert.Contains(entries.Select(g => g.Key), path => path.StartsWith("/usr/lib/x86_64-linux-gnu/libicuuc.so.", StringComparison.Ordinal));

        var data = Assert.Single(entries["/data"]);
        Assert.Equal(TarEntryType.Directory, data.EntryType);
        Assert.Equal((10001, 10001), (data.Uid, data.Gid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, data.Mode);

        Assert.Contains("\nokapi:x:10001:10001:", texts["/etc/passwd"]);
        Assert.DoesNotContain(entries, g => g.Key.StartsWith("/dev/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SkopeoReadsTheArchiveAndConvertsItForDockerWithItsHealthCheck()
    {
        var (exit, output) = await ContainerImage.RunAsync("skopeo", ["inspect", $"oci-archive:{image.Archive}"], TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, output);
        using var inspected = JsonDocument.Parse(output);
        Assert.Equal(image.Index.GetProperty("manifests")[0].GetProperty("digest").GetString(), inspected.RootElement.GetProperty("Digest").GetString());
        Assert.Equal(2, inspected.RootElement.GetProperty("Layers").GetArrayLength());

        // What `docker load` reads: a docker-archive keeps the image's name and the health check.
        var docker = Path.Combine(image.Folder, "docker.tar");
        (exit, output) = await ContainerImage.RunAsync("skopeo", ["copy", "--quiet", $"oci-archive:{image.Archive}", $"docker-archive:{docker}:okapi:local"], TimeSpan.FromMinutes(5));
        Assert.True(exit == 0, output);
        var files = new Dictionary<string, byte[]>();
        await using (var reader = new TarReader(File.OpenRead(docker)))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is not null && entry.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    using var copy = new MemoryStream();
                    await entry.DataStream.CopyToAsync(copy);
                    files[entry.Name] = copy.ToArray();
                }
            }
        }

        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        var loaded = manifest.RootElement[0];
        Assert.Equal(["docker.io/library/okapi:local"], loaded.GetProperty("RepoTags").EnumerateArray().Select(t => t.GetString()));
        using var config = JsonDocument.Parse(files[loaded.GetProperty("Config").GetString()!]);
        var healthcheck = config.RootElement.GetProperty("config").GetProperty("Healthcheck");
        Assert.Equal(["CMD", Entrypoint, "healthcheck"], healthcheck.GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ItsRootFilesystemServesHealthzAsItsUserAndTheHealthCheckSaysSo()
    {
        foreach (var tool in new[] { "/usr/bin/unshare", "/usr/sbin/chroot", "/usr/bin/tar" })
        {
            Assert.True(File.Exists(tool), $"{tool} is missing (util-linux, coreutils, tar).");
        }

        Assert.True(Environment.UserName == "root", "Starting the image's root filesystem (chroot, mounts) needs root, as test.sh runs.");
        var rootfs = Path.Combine(image.Folder, "rootfs");
        Directory.CreateDirectory(rootfs);
        foreach (var layer in image.LayerPaths())
        {
            var (exit, output) = await ContainerImage.RunAsync("tar", ["-xzf", layer, "-C", rootfs, "--numeric-owner"], TimeSpan.FromMinutes(2));
            Assert.True(exit == 0, output);
        }

        var config = image.Config.GetProperty("config");
        var port = Listening.FreePort();
        var environment = ImageEnvironment(config);
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var user = config.GetProperty("User").GetString()!;
        var workingDir = config.GetProperty("WorkingDir").GetString()!;

        var log = new StringBuilder();
        using var server = new Process { StartInfo = InRootfs(rootfs, user, workingDir, [Entrypoint], environment) };
        server.StartInfo.RedirectStandardOutput = server.StartInfo.RedirectStandardError = true;
        server.OutputDataReceived += (_, e) => ContainerImage.Append(log, e.Data);
        server.ErrorDataReceived += (_, e) => ContainerImage.Append(log, e.Data);
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow.AddSeconds(120);
            HttpResponseMessage? answer = null;
            while (answer is null)
            {
                Assert.False(server.HasExited, $"Okapi stopped with {(server.HasExited ? server.ExitCode : 0)}:\n{ContainerImage.Text(log)}");
                Assert.True(DateTime.UtcNow < deadline, $"/healthz did not answer within 120 s:\n{ContainerImage.Text(log)}");
                try
                {
                    answer = await http.GetAsync($"http://127.0.0.1:{port}/healthz");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
            // The app made its SQLite database in the volume, as the image's user.
            var database = new FileInfo(Path.Combine(rootfs, "data", "okapi.db"));
            Assert.True(database.Exists, ContainerImage.Text(log));
            var (healthy, said) = await ContainerImage.RunAsync("unshare", InRootfs(rootfs, user, workingDir, [Entrypoint, "healthcheck"], environment).ArgumentList, TimeSpan.FromMinutes(1), environment);
            Assert.True(healthy == 0, said);
            Assert.Contains($"http://127.0.0.1:{port}/healthz: 200", said);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        var (down, _) = await ContainerImage.RunAsync("unshare", InRootfs(rootfs, user, workingDir, [Entrypoint, "healthcheck"], environment).ArgumentList, TimeSpan.FromMinutes(1), environment);
        Assert.Equal(1, down);
    }

    /// <summary>
    /// Runs <paramref name="command"/> in <paramref name="rootfs"/> roughly as a container runtime would: its own mount
    /// and process namespaces with /proc and /dev, the image's user, working folder and environment, the host's network.
    /// </summary>
    private static ProcessStartInfo InRootfs(string rootfs, string user, string workingDir, IEnumerable<string> command, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("unshare");
        foreach (var arg in new[]
                 {
                     "--mount", "--pid", "--fork", "--kill-child", $"--mount-proc={rootfs}/proc", "--", "sh", "-c",
                     """root=$0 user=$1 dir=$2; shift 2; mount --rbind /dev "$root/dev" && exec chroot --userspec="$user" "$root" /usr/bin/env --chdir="$dir" "$@" """,
                     rootfs, user, workingDir,
                 }.Concat(command))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static Dictionary<string, string> ImageEnvironment(JsonElement config) =>
        config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
