using System.Globalization;
using OpenLedger.Silo.Hosting;
using YamlDotNet.RepresentationModel;

namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>
/// Static checks of the manifests under deploy/k8s, as a cluster would meet them: every object well formed and listed
/// in the kustomization, selectors that select, references that resolve, silo settings that exist, probes on paths the
/// silo serves, a grace period longer than the silo's shutdown, GPUs where serving and training run, secrets from files
/// kept out of the repository.
/// </summary>
public static class KubernetesCheck
{
    /// <summary>deploy/k8s.</summary>
    public static string Folder { get; } = Path.Combine(RepoPaths.Root, "deploy", "k8s");

    private const string Kustomization = "kustomization.yaml";
    private const string Gpu = "nvidia.com/gpu";
    private static readonly string[] _workloadKinds = ["Deployment", "StatefulSet", "DaemonSet"];
    private static readonly string[] _gpuRoles = ["Serving", "Training"];

    /// <summary>The manifest files, by name: what <see cref="Problems"/> reads.</summary>
    public static Dictionary<string, string> Files() =>
        Directory.GetFiles(Folder, "*.yaml").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    /// <summary>Every problem of the manifests <paramref name="files"/> (name to text), each naming the object; empty when none.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<string, string> files)
    {
        var problems = new List<string>();
        if (!files.TryGetValue(Kustomization, out var kustomizationText))
        {
            return [$"deploy/k8s has no {Kustomization}."];
        }
        var kustomization = DeploymentYaml.Documents(kustomizationText).Single();
        var resources = kustomization.Seq("resources").OfType<YamlScalarNode>().Select(n => n.Value!).ToList();
        problems.AddRange(resources.Where(r => !files.ContainsKey(r)).Select(r => $"{Kustomization}: resource {r} does not exist."));
        problems.AddRange(files.Keys.Where(f => f != Kustomization && !resources.Contains(f)).Select(f => $"{f} is not among the {Kustomization} resources, so it is never applied."));

        var objects = new List<Manifest>();
        foreach (var file in resources.Where(files.ContainsKey))
        {
            var documents = DeploymentYaml.Documents(files[file]);
            for (var i = 0; i < documents.Count; i++)
            {
                var missing = new[] { "apiVersion", "kind" }.Where(k => string.IsNullOrEmpty(documents[i].Str(k)))
                    .Concat(string.IsNullOrEmpty(documents[i].Str("metadata", "name")) ? ["metadata.name"] : []).ToList();
                if (missing.Count > 0)
                {
                    problems.Add($"{file}: document {i + 1} has no {string.Join(", ", missing)}.");
                    continue;
                }
                objects.Add(new Manifest(file, documents[i]));
            }
        }

        var namespaces = objects.Where(o => o.Kind == "Namespace").Select(o => o.Name).ToHashSet();
        var target = kustomization.Str("namespace");
        foreach (var o in objects.Where(o => o.Kind != "Namespace"))
        {
            var ns = o.Node.Str("metadata", "namespace") ?? target;
            if (ns is null || !namespaces.Contains(ns) || (target is not null && ns != target))
            {
                problems.Add($"{o}: namespace {ns ?? "unset"} must be the one the manifests define ({string.Join(", ", namespaces)}).");
            }
        }

        var configMaps = objects.Where(o => o.Kind == "ConfigMap").ToDictionary(o => o.Name, o => o.Node.Map("data").Labels());
        var secrets = SecretKeys(kustomization, objects, problems);
        foreach (var (name, data) in configMaps)
        {
            foreach (var (key, value) in data.Where(d => SiloSettings.IsGridSetting(d.Key)))
            {
                if (SiloSettings.Problem(key, value) is { } problem)
                {
                    problems.Add($"ConfigMap {name}: {problem}");
                }
                if (IsSecretSetting(key) && value.Length > 0)
                {
                    problems.Add($"ConfigMap {name}: {key} carries a secret; take it from a Secret (secretKeyRef) or a *File setting.");
                }
            }
        }

        var workloads = objects.Where(o => _workloadKinds.Contains(o.Kind)).ToList();
        var roles = new HashSet<string>();
        foreach (var workload in workloads)
        {
            problems.AddRange(new Workload(workload, configMaps, secrets).Problems(roles));
        }
        if (!SiloSettings.RoleNames.All(roles.Contains))
        {
            problems.Add($"no silo takes the roles {string.Join(", ", SiloSettings.RoleNames.Except(roles))}; the grid needs every role somewhere.");
        }
        problems.AddRange(DisruptionBudgetProblems(objects, workloads));
        problems.AddRange(ServiceProblems(objects, workloads));
        return problems;
    }

    internal static bool IsSecretSetting(string key) =>
        System.Text.RegularExpressions.Regex.IsMatch(key, @"(Key|Keys__\d+|Password|Secret|ConnectionString)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static Dictionary<string, HashSet<string>> SecretKeys(YamlMappingNode kustomization, List<Manifest> objects, List<string> problems)
    {
        var secrets = new Dictionary<string, HashSet<string>>();
        foreach (var generator in kustomization.Maps("secretGenerator"))
        {
            var name = generator.Str("name") ?? "";
            var keys = secrets[name] = [];
            if (generator.Seq("literals").Any())
            {
                problems.Add($"{Kustomization}: secret {name} has literals, which put its values in the repository; generate it from files under secrets/.");
            }
            foreach (var entry in generator.Seq("files").OfType<YamlScalarNode>().Select(n => n.Value!))
            {
                var equals = entry.IndexOf('=');
                var path = equals < 0 ? entry : entry[(equals + 1)..];
                keys.Add(equals < 0 ? Path.GetFileName(path) : entry[..equals]);
                var ignore = Path.Combine(Folder, Path.GetDirectoryName(path) ?? "", ".gitignore");
                if (!File.Exists(ignore) || !File.ReadAllLines(ignore).Any(l => l.Trim() == "*"))
                {
                    problems.Add($"{Kustomization}: secret {name} reads {path}, which must be under a folder whose .gitignore keeps every file out of the repository.");
                }
            }
        }
        foreach (var secret in objects.Where(o => o.Kind == "Secret"))
        {
            problems.Add($"{secret}: a Secret with its values in the repository; generate it in {Kustomization} from files kept out.");
            secrets[secret.Name] = [.. secret.Node.Map("data").Labels().Keys, .. secret.Node.Map("stringData").Labels().Keys];
        }
        return secrets;
    }

    private static IEnumerable<string> DisruptionBudgetProblems(List<Manifest> objects, List<Manifest> workloads)
    {
        var budgets = objects.Where(o => o.Kind == "PodDisruptionBudget").ToList();
        foreach (var budget in budgets)
        {
            var selector = budget.Node.Map("spec")?.Map("selector")?.Map("matchLabels").Labels() ?? new Dictionary<string, string>();
            if (!workloads.Any(w => DeploymentYaml.Selects(selector, Workload.TemplateLabels(w))))
            {
                yield return $"{budget}: its selector ({Show(selector)}) selects no pods of the manifests' workloads.";
            }
        }
        foreach (var workload in workloads)
        {
            if (!budgets.Any(b => DeploymentYaml.Selects(b.Node.Map("spec")?.Map("selector")?.Map("matchLabels").Labels() ?? new Dictionary<string, string>(), Workload.TemplateLabels(workload))))
            {
                yield return $"{workload}: no PodDisruptionBudget covers its pods; a node drain could take all of them at once.";
            }
        }
    }

    private static IEnumerable<string> ServiceProblems(List<Manifest> objects, List<Manifest> workloads)
    {
        foreach (var service in objects.Where(o => o.Kind == "Service"))
        {
            var selector = service.Node.Map("spec")?.Map("selector").Labels() ?? new Dictionary<string, string>();
            var selected = workloads.Where(w => DeploymentYaml.Selects(selector, Workload.TemplateLabels(w))).ToList();
            if (selected.Count == 0)
            {
                yield return $"{service}: its selector ({Show(selector)}) selects no pods of the manifests' workloads.";
                continue;
            }
            foreach (var port in service.Node.Map("spec")!.Maps("ports"))
            {
                var targetPort = port.Str("targetPort") ?? port.Str("port") ?? "";
                foreach (var workload in selected.Where(w => Workload.ContainerPort(w, targetPort) is null))
                {
                    yield return $"{service}: targetPort {targetPort} is no container port of {workload}.";
                }
            }
        }
    }

    internal static string Show(IReadOnlyDictionary<string, string> labels) => string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}"));

    /// <summary>One object of the manifests.</summary>
    internal sealed record Manifest(string File, YamlMappingNode Node)
    {
        public string Kind => Node.Str("kind")!;

        public string Name => Node.Str("metadata", "name")!;

        public override string ToString() => $"{Kind} {Name} ({File})";
    }

    /// <summary>A Deployment, StatefulSet or DaemonSet and its pod template, checked against the silo it runs.</summary>
    private sealed class Workload(Manifest manifest, Dictionary<string, IReadOnlyDictionary<string, string>> configMaps, Dictionary<string, HashSet<string>> secrets)
    {
        private readonly YamlMappingNode _pod = manifest.Node.Map("spec")?.Map("template")?.Map("spec") ?? new YamlMappingNode();

        public static IReadOnlyDictionary<string, string> TemplateLabels(Manifest workload) =>
            workload.Node.Map("spec")?.Map("template")?.Map("metadata")?.Map("labels").Labels() ?? new Dictionary<string, string>();

        public static int? ContainerPort(Manifest workload, string port)
        {
            var ports = (workload.Node.Map("spec")?.Map("template")?.Map("spec")?.Maps("containers") ?? []).SelectMany(c => c.Maps("ports")).ToList();
            var match = ports.FirstOrDefault(p => p.Str("name") == port || p.Str("containerPort") == port);
            return match?.Str("containerPort") is { } number ? int.Parse(number, CultureInfo.InvariantCulture) : null;
        }

        public IEnumerable<string> Problems(HashSet<string> roles)
        {
            var selector = manifest.Node.Map("spec")?.Map("selector")?.Map("matchLabels").Labels() ?? new Dictionary<string, string>();
            if (!DeploymentYaml.Selects(selector, TemplateLabels(manifest)))
            {
                yield return $"{manifest}: spec.selector.matchLabels ({Show(selector)}) does not match its pod template's labels ({Show(TemplateLabels(manifest))}).";
            }
            var volumes = _pod.Maps("volumes").ToDictionary(v => v.Str("name") ?? "");
            foreach (var problem in VolumeProblems(volumes.Values))
            {
                yield return problem;
            }
            foreach (var container in _pod.Maps("containers"))
            {
                foreach (var problem in ContainerProblems(container, volumes, roles))
                {
                    yield return problem;
                }
            }
        }

        private IEnumerable<string> VolumeProblems(IEnumerable<YamlMappingNode> volumes)
        {
            foreach (var volume in volumes)
            {
                if (volume.Map("secret") is { } secret && Missing(secrets, secret.Str("secretName"), secret.Maps("items").Select(i => i.Str("key"))) is { } missing)
                {
                    yield return $"{manifest}: volume {volume.Str("name")} {missing}";
                }
                if (volume.Map("configMap") is { } map && Missing(configMaps.ToDictionary(c => c.Key, c => c.Value.Keys.ToHashSet()), map.Str("name"), map.Maps("items").Select(i => i.Str("key"))) is { } absent)
                {
                    yield return $"{manifest}: volume {volume.Str("name")} {absent}";
                }
            }
        }

        private IEnumerable<string> ContainerProblems(YamlMappingNode container, Dictionary<string, YamlMappingNode> volumes, HashSet<string> roles)
        {
            var name = $"{manifest}, container {container.Str("name")}";
            var image = container.Str("image") ?? "";
            var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
            if (tag.Length == 0 || tag == "latest")
            {
                yield return $"{name}: image {image} is not pinned; give it a version tag (never latest).";
            }
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var source in container.Maps("envFrom"))
            {
                if (source.Map("configMapRef")?.Str("name") is { } mapName)
                {
                    if (configMaps.TryGetValue(mapName, out var data))
                    {
                        foreach (var (key, value) in data)
                        {
                            environment[key] = value;
                        }
                    }
                    else
                    {
                        yield return $"{name}: envFrom names ConfigMap {mapName}, which the manifests do not define.";
                    }
                }
                if (source.Map("secretRef")?.Str("name") is { } secretName && !secrets.ContainsKey(secretName))
                {
                    yield return $"{name}: envFrom names Secret {secretName}, which the manifests do not define.";
                }
            }
            var fromPodIp = new HashSet<string>();
            foreach (var variable in container.Maps("env"))
            {
                var key = variable.Str("name") ?? "";
                var from = variable.Map("valueFrom");
                environment[key] = from is null ? variable.Str("value") ?? "" : null;
                if (SiloSettings.IsGridSetting(key) && SiloSettings.Problem(key, environment[key]) is { } problem)
                {
                    yield return $"{name}: {problem}";
                }
                if (from?.Map("secretKeyRef") is { } secretRef && Missing(secrets, secretRef.Str("name"), [secretRef.Str("key")]) is { } missing)
                {
                    yield return $"{name}: {key} {missing}";
                }
                if (from?.Map("configMapKeyRef") is { } mapRef && Missing(configMaps.ToDictionary(c => c.Key, c => c.Value.Keys.ToHashSet()), mapRef.Str("name"), [mapRef.Str("key")]) is { } absent)
                {
                    yield return $"{name}: {key} {absent}";
                }
                if (from?.Map("fieldRef")?.Str("fieldPath") == "status.podIP")
                {
                    fromPodIp.Add(key);
                }
                if (from is null && IsSecretSetting(key) && !key.EndsWith("File", StringComparison.Ordinal) && environment[key]!.Length > 0)
                {
                    yield return $"{name}: {key} carries a secret inline; take it from a Secret (secretKeyRef).";
                }
            }
            if (!image.StartsWith("openledger/silo:", StringComparison.Ordinal))
            {
                yield break;
            }
            foreach (var problem in SiloProblems(name, container, environment, fromPodIp, volumes, roles, tag))
            {
                yield return problem;
            }
        }

        private IEnumerable<string> SiloProblems(string name, YamlMappingNode container, Dictionary<string, string?> environment, HashSet<string> fromPodIp,
            Dictionary<string, YamlMappingNode> volumes, HashSet<string> roles, string tag)
        {
            var image = SiloEndpoints.ImageEnvironment();
            string? Setting(string key) => environment.TryGetValue(key, out var v) ? v : image.GetValueOrDefault(key);

            if (!fromPodIp.Contains("OpenLedger__Silo__AdvertisedAddress"))
            {
                yield return $"{name}: OpenLedger__Silo__AdvertisedAddress must come from the pod's IP (valueFrom.fieldRef status.podIP): other silos reach it there.";
            }
            var shutdown = environment.GetValueOrDefault("OpenLedger__Silo__ShutdownTimeout");
            var grace = int.Parse(_pod.Str("terminationGracePeriodSeconds") ?? "30", CultureInfo.InvariantCulture);
            if (shutdown is null || !TimeSpan.TryParse(shutdown, CultureInfo.InvariantCulture, out var timeout))
            {
                yield return $"{name}: set OpenLedger__Silo__ShutdownTimeout explicitly (default {new GridSiloOptions().ShutdownTimeout}), so the grace period can be checked against it.";
            }
            else if (grace <= timeout.TotalSeconds)
            {
                yield return $"{name}: terminationGracePeriodSeconds ({grace}) must be longer than OpenLedger__Silo__ShutdownTimeout ({shutdown}), or the silo is killed mid-shutdown.";
            }

            var ports = container.Maps("ports").ToList();
            var http = SiloEndpoints.HttpPort(Setting("ASPNETCORE_URLS"));
            foreach (var (setting, port) in new[] { ("ASPNETCORE_URLS", http), ("OpenLedger__Silo__SiloPort", Port(Setting("OpenLedger__Silo__SiloPort"))), ("OpenLedger__Silo__GatewayPort", Port(Setting("OpenLedger__Silo__GatewayPort"))) })
            {
                if (port is null || !ports.Any(p => p.Str("containerPort") == port.Value.ToString(CultureInfo.InvariantCulture)))
                {
                    yield return $"{name}: the silo listens on {port?.ToString(CultureInfo.InvariantCulture) ?? "no port"} ({setting}), which is not among the container's ports.";
                }
            }
            foreach (var kind in new[] { "readinessProbe", "livenessProbe" })
            {
                var probe = container.Map(kind)?.Map("httpGet");
                if (probe is null)
                {
                    yield return $"{name}: no {kind} with httpGet.";
                    continue;
                }
                var path = probe.Str("path");
                if (path is null || !SiloEndpoints.ProbePaths.Contains(path))
                {
                    yield return $"{name}: {kind} asks for {path}, which the silo does not serve as a probe; use one of {string.Join(", ", SiloEndpoints.ProbePaths)}.";
                }
                var probePort = probe.Str("port") ?? "";
                var resolved = ports.FirstOrDefault(p => p.Str("name") == probePort || p.Str("containerPort") == probePort)?.Str("containerPort");
                if (resolved is null || resolved != http?.ToString(CultureInfo.InvariantCulture))
                {
                    yield return $"{name}: {kind} port {probePort} is not the silo's HTTP port ({http}).";
                }
            }
            foreach (var (key, value) in environment.Where(e => SiloSettings.IsGridSetting(e.Key) && e.Key.EndsWith("File", StringComparison.Ordinal)))
            {
                if (!IsMountedSecretFile(container, volumes, value))
                {
                    yield return $"{name}: {key}={value} is not a file of a secret volume the container mounts.";
                }
            }

            var named = environment.GetValueOrDefault(SiloSettings.Roles);
            var parsed = named is null ? null : SiloSettings.ParseRoles(named);
            if (parsed is null || named!.Length == 0)
            {
                yield return $"{name}: set {SiloSettings.Roles} to the roles of this kind of silo ({string.Join(", ", SiloSettings.RoleNames)}).";
                yield break;
            }
            roles.UnionWith(parsed);
            var gpus = container.Map("resources")?.Map("limits")?.Str(Gpu);
            var wantsGpu = parsed.Intersect(_gpuRoles).Any();
            if (wantsGpu && (gpus is null || int.Parse(gpus, CultureInfo.InvariantCulture) < 1))
            {
                yield return $"{name}: a silo with the roles {named} needs a GPU: set resources.limits {Gpu}: 1.";
            }
            if (wantsGpu && (!_pod.Maps("tolerations").Any(t => t.Str("key") == Gpu) || _pod.Map("nodeSelector") is not { Children.Count: > 0 }))
            {
                yield return $"{name}: a GPU silo needs a nodeSelector for GPU nodes and a toleration of {Gpu}.";
            }
            if ((wantsGpu || gpus is not null) != tag.EndsWith("-cuda", StringComparison.Ordinal))
            {
                yield return $"{name}: image tag {tag} does not match its device: GPU silos run the image built with TORCH_DEVICE=cuda (tag ending -cuda), CPU silos the cpu one.";
            }
        }

        private static bool IsMountedSecretFile(YamlMappingNode container, Dictionary<string, YamlMappingNode> volumes, string? path) =>
            path is not null && container.Maps("volumeMounts").Any(mount =>
                mount.Str("mountPath") is { } at && path.StartsWith(at.TrimEnd('/') + "/", StringComparison.Ordinal)
                && volumes.GetValueOrDefault(mount.Str("name") ?? "")?.Map("secret") is { } secret
                && (secret.Maps("items").Any() ? secret.Maps("items").Select(i => i.Str("path")) : [path[(at.TrimEnd('/').Length + 1)..]])
                    .Contains(path[(at.TrimEnd('/').Length + 1)..]));

        private static int? Port(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;

        private static string? Missing(Dictionary<string, HashSet<string>> defined, string? name, IEnumerable<string?> keys)
        {
            if (name is null || !defined.TryGetValue(name, out var present))
            {
                return $"refers to {name}, which the manifests do not define.";
            }
            var absent = keys.Where(k => k is null || !present.Contains(k)).ToList();
            return absent.Count == 0 ? null : $"refers to key {string.Join(", ", absent)} of {name}, which it does not have ({string.Join(", ", present)}).";
        }
    }
}
