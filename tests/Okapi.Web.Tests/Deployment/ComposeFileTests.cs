using Microsoft.Extensions.Configuration;
using Okapi.Data;
using Okapi.Web.Features.Access;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Okapi.Web.Tests.Deployment;

/// <summary>deploy/compose.yaml and its Caddyfile agree with the image and with the settings Okapi reads.</summary>
public sealed class ComposeFileTests
{
    private static readonly string Deploy = Path.Combine(ContainerImage.RepositoryRoot, "deploy");

    [Fact]
    public void TwoInstancesOfTheImageRunOnPostgreSqlWithSharedSessionKeysAndTheImagesHealthCheck()
    {
        var services = Compose()["services"];
        var instances = new[] { "okapi-1", "okapi-2" }.Select(name => services[name]).ToList();

        foreach (var instance in instances)
        {
            Assert.Equal("okapi:local", instance["image"]);
            Assert.Equal(["CMD", "/app/Okapi.Web", "healthcheck"], ((List<object>)instance["healthcheck"]["test"]).Cast<string>());

            // Compose's variables as Okapi reads them: `__` is `:`, and ${…} is filled in by compose.
            var environment = ((Dictionary<object, object>)instance["environment"])
                .ToDictionary(e => ((string)e.Key).Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
            var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>()!;
            Assert.Equal(DatabaseProvider.Postgres, database.Provider);
            Assert.StartsWith("Host=db;", database.ResolveConnectionString());
            var keys = configuration[$"{KeyRing.Section}:KeysFolder"];
            Assert.StartsWith("/data/", keys);
            Assert.Equal(["data:/data"], ((List<object>)instance["volumes"]).Cast<string>());
        }

        Assert.Equal("service_healthy", services["okapi-2"]["depends_on"]["okapi-1"]["condition"]);
        Assert.Equal("service_healthy", services["okapi-1"]["depends_on"]["db"]["condition"]);
        Assert.Contains("./Caddyfile:/etc/caddy/Caddyfile:ro", ((List<object>)services["proxy"]["volumes"]).Cast<string>());
    }

    [Fact]
    public void TheProxySpreadsBrowsersOverBothInstancesAndKeepsEachOnOne()
    {
        var caddyfile = File.ReadAllText(Path.Combine(Deploy, "Caddyfile"));

        Assert.Contains("reverse_proxy okapi-1:8080 okapi-2:8080", caddyfile);
        Assert.Contains("lb_policy cookie", caddyfile);
        Assert.Contains("health_uri /readyz", caddyfile);
    }

    private static dynamic Compose()
    {
        using var reader = File.OpenText(Path.Combine(Deploy, "compose.yaml"));
        // The instances share their settings through a YAML anchor and merge key.
        return new DeserializerBuilder().Build().Deserialize<dynamic>(new MergingParser(new Parser(reader)))!;
    }
}
