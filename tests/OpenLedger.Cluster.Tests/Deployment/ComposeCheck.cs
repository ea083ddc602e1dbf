using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>
/// Static checks of deploy/compose/compose.yaml: pinned images that are built here or known, silo settings that exist,
/// secrets from files kept out of the repository, mounted files that exist, healthchecks on /health.
/// </summary>
public static partial class ComposeCheck
{
    /// <summary>deploy/compose/compose.yaml.</summary>
    public static string ComposeFile { get; } = Path.Combine(RepoPaths.Root, "deploy", "compose", "compose.yaml");

    /// <summary>Public images the grid may run, and the npm package (in deploy/package.json) whose version the tag must equal, if any.</summary>
    public static readonly IReadOnlyDictionary<string, string?> KnownPublicImages = new Dictionary<string, string?>
    {
        ["mcr.microsoft.com/azure-storage/azurite"] = "azurite",
        ["trufflesuite/ganache"] = "ganache",
        ["redis"] = null,
        ["prom/prometheus"] = null,
        ["grafana/grafana"] = null,
    };

    private static readonly string _composeFolder = Path.GetDirectoryName(ComposeFile)!;

    /// <summary>Every problem of the compose file <paramref name="text"/>, each naming the service and what is wrong; empty when none.</summary>
    public static IReadOnlyList<string> Problems(string text)
    {
        var problems = new List<string>();
        var root = DeploymentYaml.Documents(text).Single();
        var services = root.Map("services");
        if (services is null)
        {
            return ["compose.yaml has no services."];
        }
        var secrets = root.Map("secrets") ?? new YamlMappingNode();
        var volumes = root.Map("volumes") ?? new YamlMappingNode();
        foreach (var (key, node) in secrets.Children)
        {
            var file = (node as YamlMappingNode)?.Str("file");
            if (file is null || !IsKeptOutOfRepository(file))
            {
                problems.Add($"secret {key}: file '{file}' must be under a folder whose .gitignore keeps every file out of the repository.");
            }
        }
        var silos = 0;
        foreach (var (nameNode, serviceNode) in services.Children)
        {
            var name = ((YamlScalarNode)nameNode).Value!;
            var service = (YamlMappingNode)serviceNode;
            var silo = IsSilo(service);
            silos += silo ? 1 : 0;
            problems.AddRange(ImageProblems(name, service));
            problems.AddRange(EnvironmentProblems(name, service, secrets));
            problems.AddRange(MountProblems(name, service, volumes));
            problems.AddRange(HealthProblems(name, service, silo));
            foreach (var dependency in (service.Get("depends_on") as YamlMappingNode)?.Children.Keys ?? [])
            {
                if (services.Get(((YamlScalarNode)dependency).Value!) is null)
                {
                    problems.Add($"service {name}: depends on {dependency}, which is not a service.");
                }
            }
        }
        if (silos < 2)
        {
            problems.Add($"the grid needs 2 or more silos built from deploy/docker/silo.Dockerfile; found {silos}.");
        }
        return problems;
    }

    /// <summary>The literal value of a compose environment value: the default of <c>${VAR:-default}</c>, null for <c>${VAR}</c>.</summary>
    public static string? Literal(string value) =>
        Interpolation().Match(value) is { Success: true } m ? (m.Groups[2].Success ? m.Groups[2].Value : null) : value;

    private static bool IsSilo(YamlMappingNode service) =>
        service.Map("build")?.Str("dockerfile") is { } dockerfile && Path.GetFileName(dockerfile) == Path.GetFileName(SiloEndpoints.Dockerfile);

    private static IEnumerable<string> ImageProblems(string name, YamlMappingNode service)
    {
        var image = service.Str("image");
        if (image is null)
        {
            yield return $"service {name}: no image; name a pinned image (built or pulled).";
            yield break;
        }
        var colon = image.LastIndexOf(':');
        var (repository, tag) = colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "");
        if (tag.Length == 0 || tag == "latest")
        {
            yield return $"service {name}: image {image} is not pinned; give it a version tag (never latest).";
        }
        if (service.Map("build") is { } build)
        {
            var dockerfile = Path.GetFullPath(Path.Combine(_composeFolder, build.Str("context") ?? ".", build.Str("dockerfile") ?? "Dockerfile"));
            if (!File.Exists(dockerfile) || !dockerfile.StartsWith(RepoPaths.Root, StringComparison.Ordinal))
            {
                yield return $"service {name}: builds from {dockerfile}, which is not a Dockerfile in the repository.";
            }
        }
        else if (!KnownPublicImages.TryGetValue(repository, out var package))
        {
            yield return $"service {name}: image {image} is neither built from a Dockerfile in the repository nor one of the known public images ({string.Join(", ", KnownPublicImages.Keys)}).";
        }
        else if (package is not null && tag.TrimStart('v') != NpmVersion(package))
        {
            yield return $"service {name}: image {image} must run the version deploy/package.json pins for {package} ({NpmVersion(package)}), as the tests and `./openledger up` do.";
        }
    }

    private static IEnumerable<string> EnvironmentProblems(string name, YamlMappingNode service, YamlMappingNode secrets)
    {
        var environment = Environment(service);
        var mounted = service.Seq("secrets").Select(s => s is YamlScalarNode scalar ? scalar.Value : (s as YamlMappingNode)?.Str("source")).ToList();
        foreach (var (key, raw) in environment)
        {
            var value = raw is null ? null : Literal(raw);
            if (SiloSettings.IsGridSetting(key) && SiloSettings.Problem(key, value) is { } problem)
            {
                yield return $"service {name}: {problem}";
            }
            if (IsFileSetting(key))
            {
                var secret = value is not null && value.StartsWith("/run/secrets/", StringComparison.Ordinal) ? value["/run/secrets/".Length..] : null;
                if (secret is null || !mounted.Contains(secret) || secrets.Get(secret) is null)
                {
                    yield return $"service {name}: {key}={value} must name a file /run/secrets/NAME of a secret the service mounts.";
                }
            }
            else if (IsSecretSetting(key) && !string.IsNullOrEmpty(value))
            {
                yield return $"service {name}: {key} carries a secret inline; mount it as a secret file (its *File setting) or put it in an env_file under secrets/.";
            }
        }
        foreach (var file in EnvFiles(service))
        {
            if (!IsKeptOutOfRepository(file))
            {
                yield return $"service {name}: env_file {file} holds secrets, so it must be under a folder whose .gitignore keeps every file out of the repository.";
            }
        }
        if (IsSilo(service))
        {
            foreach (var problem in SiloProblems(name, service, environment))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> SiloProblems(string name, YamlMappingNode service, IReadOnlyDictionary<string, string?> environment)
    {
        var advertised = environment.GetValueOrDefault("OpenLedger__Silo__AdvertisedAddress");
        var addresses = (service.Get("networks") as YamlMappingNode)?.Children.Values.OfType<YamlMappingNode>().Select(n => n.Str("ipv4_address")).ToList() ?? [];
        if (advertised is null || !addresses.Contains(advertised))
        {
            yield return $"service {name}: OpenLedger__Silo__AdvertisedAddress ({advertised ?? "unset"}) must be the service's fixed address on its network ({string.Join(", ", addresses)}); other silos reach it there.";
        }
        var shutdown = environment.GetValueOrDefault("OpenLedger__Silo__ShutdownTimeout");
        var grace = Seconds(service.Str("stop_grace_period") ?? "10s");
        if (shutdown is null || !TimeSpan.TryParse(shutdown, CultureInfo.InvariantCulture, out var timeout))
        {
            yield return $"service {name}: set OpenLedger__Silo__ShutdownTimeout explicitly, so stop_grace_period can be checked against it.";
        }
        else if (grace is null || grace <= timeout.TotalSeconds)
        {
            yield return $"service {name}: stop_grace_period ({service.Str("stop_grace_period") ?? "10s, the default"}) must be longer than OpenLedger__Silo__ShutdownTimeout ({shutdown}), or the silo is killed mid-shutdown.";
        }
    }

    private static IEnumerable<string> MountProblems(string name, YamlMappingNode service, YamlMappingNode volumes)
    {
        foreach (var volume in service.Seq("volumes"))
        {
            var source = volume is YamlScalarNode scalar ? scalar.Value!.Split(':')[0] : (volume as YamlMappingNode)?.Str("source") ?? "";
            if (source.StartsWith('.') || source.StartsWith('/'))
            {
                var path = Path.GetFullPath(Path.Combine(_composeFolder, source));
                if (!path.StartsWith(RepoPaths.Root, StringComparison.Ordinal) || !(File.Exists(path) || Directory.Exists(path)))
                {
                    yield return $"service {name}: mounts {source}, which is not in the repository.";
                }
            }
            else if (volumes.Get(source) is null)
            {
                yield return $"service {name}: mounts volume {source}, which the top-level volumes do not declare.";
            }
        }
    }

    private static IEnumerable<string> HealthProblems(string name, YamlMappingNode service, bool silo)
    {
        var test = string.Join(" ", (service.Map("healthcheck")?.Get("test") as YamlSequenceNode)?.Select(n => ((YamlScalarNode)n).Value) ?? []);
        if (test.Length == 0)
        {
            yield return $"service {name}: no healthcheck; dependants wait on service_healthy.";
        }
        else if (silo)
        {
            var port = SiloEndpoints.HttpPort(SiloEndpoints.ImageEnvironment().GetValueOrDefault("ASPNETCORE_URLS"));
            if (!SiloEndpoints.ProbePaths.Any(p => Regex.IsMatch(test, $@":{port}{Regex.Escape(p)}(\s|$)")))
            {
                yield return $"service {name}: the healthcheck ({test}) must ask the silo's HTTP port {port} for one of {string.Join(", ", SiloEndpoints.ProbePaths)}.";
            }
        }
    }

    private static Dictionary<string, string?> Environment(YamlMappingNode service)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (service.Get("environment"))
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    environment[((YamlScalarNode)key).Value!] = (value as YamlScalarNode)?.Value;
                }
                break;
            case YamlSequenceNode list:
                foreach (var entry in list.OfType<YamlScalarNode>().Select(e => e.Value!))
                {
                    var equals = entry.IndexOf('=');
                    environment[equals < 0 ? entry : entry[..equals]] = equals < 0 ? null : entry[(equals + 1)..];
                }
                break;
        }
        return environment;
    }

    private static IEnumerable<string> EnvFiles(YamlMappingNode service) => service.Get("env_file") switch
    {
        YamlScalarNode one => [one.Value!],
        YamlSequenceNode many => many.Select(n => n is YamlScalarNode s ? s.Value! : ((YamlMappingNode)n).Str("path")!),
        _ => [],
    };

    // The *File settings and compose's own __FILE convention name where a secret is; the rest must not hold one.
    private static bool IsFileSetting(string key) =>
        key.EndsWith("File", StringComparison.Ordinal) || key.EndsWith("__FILE", StringComparison.Ordinal);

    private static bool IsSecretSetting(string key) =>
        SecretName().IsMatch(key) && !key.EndsWith("StorageConnectionString", StringComparison.Ordinal);

    private static bool IsKeptOutOfRepository(string relative)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(_composeFolder, relative)))!;
        var ignore = Path.Combine(folder, ".gitignore");
        return File.Exists(ignore) && File.ReadAllLines(ignore).Any(l => l.Trim() == "*");
    }

    private static double? Seconds(string duration) =>
        DurationPart().Match(duration) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * (m.Groups[2].Value switch { "m" => 60, "h" => 3600, _ => 1 })
            : null;

    private static string NpmVersion(string package)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "package.json")));
        return json.RootElement.GetProperty("dependencies").GetProperty(package).GetString()!;
    }

    [GeneratedRegex(@"^\$\{(\w+)(?::-(.*))?\}$")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"(Key|Keys__\d+|Password|Secret)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(s|m|h)$")]
    private static partial Regex DurationPart();
}
