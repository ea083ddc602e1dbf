namespace OpenLedger.Cluster.Tests.Deployment;

/// <summary>The manifests under deploy/k8s pass <see cref="KubernetesCheck"/>, and each check catches the mistake it is for.</summary>
public sealed class KubernetesManifestTests
{
    [Fact]
    public void The_manifests_pass_every_check() =>
        Assert.Empty(KubernetesCheck.Problems(KubernetesCheck.Files()));

    [Theory]
    [InlineData("configmap.yaml", "kind: ConfigMap", "kinds: ConfigMap", "configmap.yaml: document 1 has no kind")]
    [InlineData("kustomization.yaml", "  - services.yaml\n", "", "services.yaml is not among the kustomization.yaml resources")]
    [InlineData("kustomization.yaml", "  - services.yaml\n", "  - services.yaml\n  - ingress.yaml\n", "kustomization.yaml: resource ingress.yaml does not exist")]
    [InlineData("kustomization.yaml", "settler.key=secrets/settler.key", "settler.key=settler.key", "secret openledger-grid-secrets reads settler.key, which must be under a folder whose .gitignore")]
    [InlineData("silo-gpu.yaml", "  namespace: openledger", "  namespace: default", "Deployment openledger-silo-gpu (silo-gpu.yaml): namespace default must be")]
    [InlineData("silo-cpu.yaml", "      openledger.io/silo-kind: cpu\n  template:", "      openledger.io/silo-kind: cpux\n  template:", "spec.selector.matchLabels (app.kubernetes.io/name=openledger-silo, openledger.io/silo-kind=cpux) does not match its pod template's labels")]
    [InlineData("disruption-budgets.yaml", "openledger.io/silo-kind: gpu", "openledger.io/silo-kind: tpu", "PodDisruptionBudget openledger-silo-gpu (disruption-budgets.yaml): its selector")]
    [InlineData("disruption-budgets.yaml", "openledger.io/silo-kind: gpu", "openledger.io/silo-kind: tpu", "Deployment openledger-silo-gpu (silo-gpu.yaml): no PodDisruptionBudget covers its pods")]
    [InlineData("services.yaml", "targetPort: gateway", "targetPort: gateways", "Service openledger-gateway (services.yaml): targetPort gateways is no container port")]
    [InlineData("services.yaml", "    app.kubernetes.io/name: openledger-silo\n  ports:\n    - name: http", "    app.kubernetes.io/name: openledger-api\n  ports:\n    - name: http", "Service openledger-http (services.yaml): its selector (app.kubernetes.io/name=openledger-api) selects no pods")]
    [InlineData("silo-gpu.yaml", "terminationGracePeriodSeconds: 45", "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds (30) must be longer than OpenLedger__Silo__ShutdownTimeout (00:00:30)")]
    [InlineData("configmap.yaml", "OpenLedger__Silo__ShutdownTimeout: \"00:00:30\"", "OpenLedger__Silo__ShutdownTimeout: \"00:01:00\"", "terminationGracePeriodSeconds (45) must be longer than OpenLedger__Silo__ShutdownTimeout (00:01:00)")]
    [InlineData("configmap.yaml", "  OpenLedger__Silo__ShutdownTimeout: \"00:00:30\"\n", "", "set OpenLedger__Silo__ShutdownTimeout explicitly")]
    [InlineData("silo-cpu.yaml", "path: /health, port: http", "path: /ready, port: http", "readinessProbe asks for /ready, which the silo does not serve")]
    [InlineData("silo-cpu.yaml", "{ path: /health/live, port: http }\n            periodSeconds: 10", "{ path: /health/live, port: gateway }\n            periodSeconds: 10", "livenessProbe port gateway is not the silo's HTTP port (8080)")]
    [InlineData("silo-cpu.yaml", "          readinessProbe:", "          readiness:", "no readinessProbe with httpGet")]
    [InlineData("configmap.yaml", "ASPNETCORE_URLS: \"http://+:8080\"", "ASPNETCORE_URLS: \"http://+:9000\"", "readinessProbe port http is not the silo's HTTP port (9000)")]
    [InlineData("configmap.yaml", "OpenLedger__Silo__GatewayPort: \"30000\"", "OpenLedger__Silo__GatewayPort: \"30001\"", "the silo listens on 30001 (OpenLedger__Silo__GatewayPort), which is not among the container's ports")]
    [InlineData("silo-gpu.yaml", "              nvidia.com/gpu: 1\n", "", "a silo with the roles Serving,Training needs a GPU: set resources.limits nvidia.com/gpu: 1")]
    [InlineData("silo-gpu.yaml", "      tolerations:\n        - key: nvidia.com/gpu\n          operator: Exists\n          effect: NoSchedule\n", "", "a GPU silo needs a nodeSelector for GPU nodes and a toleration of nvidia.com/gpu")]
    [InlineData("silo-gpu.yaml", "image: openledger/silo:0.1.0-cuda", "image: openledger/silo:0.1.0", "image tag 0.1.0 does not match its device")]
    [InlineData("silo-gpu.yaml", "image: openledger/silo:0.1.0-cuda", "image: openledger/silo:latest", "image openledger/silo:latest is not pinned")]
    [InlineData("silo-gpu.yaml", "value: Serving,Training", "value: Serving,Inference", "OpenLedger__Silo__Roles=Serving,Inference names a role that does not exist")]
    [InlineData("silo-cpu.yaml", "value: Attribution,Ledger", "value: Attribution", "no silo takes the roles Ledger")]
    [InlineData("silo-gpu.yaml", "fieldPath: status.podIP", "fieldPath: status.hostIP", "OpenLedger__Silo__AdvertisedAddress must come from the pod's IP")]
    [InlineData("silo-gpu.yaml", "name: openledger-grid-settings", "name: openledger-settings", "envFrom names ConfigMap openledger-settings, which the manifests do not define")]
    [InlineData("silo-cpu.yaml", "key: operator-key", "key: operator-keys", "OpenLedger__Agents__Keys__0 refers to key operator-keys of openledger-grid-secrets, which it does not have")]
    [InlineData("silo-cpu.yaml", "secretName: openledger-grid-secrets", "secretName: openledger-keys", "volume keys refers to openledger-keys, which the manifests do not define")]
    [InlineData("silo-cpu.yaml", "- { key: owner.key, path: owner.key }", "- { key: owner.key, path: owner-key }", "OpenLedger__FineTuning__OwnerKeyFile=/var/run/secrets/openledger/owner.key is not a file of a secret volume the container mounts")]
    [InlineData("configmap.yaml", "OpenLedger__Silo__Clustering: AzureTable", "OpenLedger__Silo__Clustering: Zookeeper", "ConfigMap openledger-grid-settings: OpenLedger__Silo__Clustering=Zookeeper is not a ClusteringKind")]
    [InlineData("configmap.yaml", "OpenLedger__Serving__MaxBatch", "OpenLedger__Serving__BatchSize", "ServingHostOptions has no settable property BatchSize")]
    [InlineData("configmap.yaml", "  OpenLedger__Silo__ServiceId: openledger\n", "  OpenLedger__Silo__ServiceId: openledger\n  OpenLedger__Agents__Keys__0: hunter2\n", "ConfigMap openledger-grid-settings: OpenLedger__Agents__Keys__0 carries a secret")]
    [InlineData("silo-cpu.yaml", "            - name: OpenLedger__Silo__RedisConnectionString\n              valueFrom:\n                secretKeyRef:\n                  name: openledger-grid-secrets\n                  key: redis-connection-string\n",
        "            - name: OpenLedger__Silo__RedisConnectionString\n              value: redis.example:6379,password=hunter2\n", "OpenLedger__Silo__RedisConnectionString carries a secret inline")]
    public void A_broken_manifest_is_refused_with_the_problem_named(string file, string find, string replace, string expected)
    {
        var files = KubernetesCheck.Files();
        // The file must still hold what this case breaks, or the case would prove nothing.
        Assert.Contains(find, files[file]);
        files[file] = files[file].Replace(find, replace, StringComparison.Ordinal);
        var problems = KubernetesCheck.Problems(files);
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected '{expected}' among:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void The_image_the_manifests_run_exposes_the_silos_ports()
    {
        var environment = SiloEndpoints.ImageEnvironment();
        var ports = SiloEndpoints.ExposedPorts();
        Assert.Contains(SiloEndpoints.HttpPort(environment["ASPNETCORE_URLS"])!.Value, ports);
        foreach (var setting in new[] { "OpenLedger__Silo__SiloPort", "OpenLedger__Silo__GatewayPort", "OpenLedger__Silo__FlightPort" })
        {
            Assert.Contains(int.Parse(environment[setting], System.Globalization.CultureInfo.InvariantCulture), ports);
            Assert.Null(SiloSettings.Problem(setting, environment[setting]));
        }
    }
}
