namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>deploy/compose/compose.yaml passes <see cref="ComposeCheck"/>, and each check catches the mistake it is for.</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public void The_compose_grid_passes_every_check() =>
        Assert.Empty(ComposeCheck.Problems(File.ReadAllText(ComposeCheck.ComposeFile)));

    [Theory]
    [InlineData("image: redis:7.4.2", "image: redis:latest", "service redis: image redis:latest is not pinned")]
    [InlineData("image: redis:7.4.2", "image: redis", "service redis: image redis is not pinned")]
    [InlineData("image: redis:7.4.2", "image: example/redis:7.4.2", "service redis: image example/redis:7.4.2 is neither built from a Dockerfile in the repository nor one of the known public images")]
    [InlineData("dockerfile: deploy/docker/silo.Dockerfile", "dockerfile: deploy/docker/gone.Dockerfile", "which is not a Dockerfile in the repository")]
    [InlineData("image: openledger/silo:0.1.0", "image: openledger/silo:latest", "service silo-1: image openledger/silo:latest is not pinned")]
    [InlineData("trufflesuite/ganache:v7.9.2", "trufflesuite/ganache:v7.9.1", "service ganache: image trufflesuite/ganache:v7.9.1 must run the version deploy/package.json pins for ganache")]
    [InlineData("OpenLedger__Silo__Clustering: AzureTable", "OpenLedger__Silo__Clustering: Consul", "service silo-1: OpenLedger__Silo__Clustering=Consul is not a ClusteringKind")]
    [InlineData("OpenLedger__Silo__RedisConnectionString: redis", "OpenLedger__Silo__RedisConnection: redis", "GridSiloOptions has no settable property RedisConnection")]
    [InlineData("OpenLedger__Economy__Confirmations: \"0\"", "OpenLedger__Economy__Confirmations: \"none\"", "OpenLedger__Economy__Confirmations=none is not a Int32")]
    [InlineData("OpenLedger__Economy__RpcUrl: ${OPENLEDGER_RPC_URL:-}", "OpenLedger__Economy__Url: ${OPENLEDGER_RPC_URL:-}", "EconomyOptions has no settable property Url")]
    [InlineData("OpenLedger__Silo__ShutdownTimeout: \"00:00:30\"", "OpenLedger__Silo__ShutdownTimeout: \"00:01:00\"", "stop_grace_period (45s) must be longer than OpenLedger__Silo__ShutdownTimeout (00:01:00)")]
    [InlineData("OpenLedger__Economy__SettlerKeyFile: /run/secrets/settler_key", "OpenLedger__Economy__SettlerKey: \"0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "OpenLedger__Economy__SettlerKey carries a secret inline")]
    [InlineData("OpenLedger__FineTuning__OwnerKeyFile: /run/secrets/owner_key", "OpenLedger__FineTuning__OwnerKeyFile: /run/secrets/owner", "OpenLedger__FineTuning__OwnerKeyFile=/run/secrets/owner must name a file /run/secrets/NAME of a secret the service mounts")]
    [InlineData("    file: secrets/owner.key", "    file: grafana/owner.key", "secret owner_key: file 'grafana/owner.key' must be under a folder whose .gitignore keeps every file out")]
    [InlineData("    - secrets/operator.env", "    - operator.env", "env_file operator.env holds secrets")]
    [InlineData("../prometheus/alerts.yml:", "../prometheus/alert-rules.yml:", "service prometheus: mounts ../prometheus/alert-rules.yml, which is not in the repository")]
    [InlineData("- prometheus-data:/prometheus", "- metrics-data:/prometheus", "service prometheus: mounts volume metrics-data, which the top-level volumes do not declare")]
    [InlineData("OpenLedger__Silo__AdvertisedAddress: 172.28.0.12", "OpenLedger__Silo__AdvertisedAddress: 172.28.0.13", "service silo-2: OpenLedger__Silo__AdvertisedAddress (172.28.0.13) must be the service's fixed address")]
    [InlineData("\"http://127.0.0.1:8080/health\"", "\"http://127.0.0.1:8080/healthz\"", "service silo-1: the healthcheck")]
    [InlineData("\"http://127.0.0.1:8080/health\"", "\"http://127.0.0.1:8081/health\"", "must ask the silo's HTTP port 8080")]
    [InlineData("      test: [\"CMD\", \"redis-cli\", \"ping\"]\n", "", "service redis: no healthcheck")]
    [InlineData("    redis:\n      condition: service_healthy", "    cache:\n      condition: service_healthy", "service silo-1: depends on cache, which is not a service")]
    public void A_broken_compose_file_is_refused_with_the_problem_named(string find, string replace, string expected)
    {
        var text = File.ReadAllText(ComposeCheck.ComposeFile);
        // The file must still hold what this case breaks, or the case would prove nothing.
        Assert.Contains(find, text);
        var problems = ComposeCheck.Problems(text.Replace(find, replace, StringComparison.Ordinal));
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected '{expected}' among:\n{string.Join("\n", problems)}");
    }
}
