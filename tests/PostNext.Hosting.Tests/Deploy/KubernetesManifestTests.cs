using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PostNext.Hosting.Tests.Deploy;

/// <summary>
/// <c>kubectl kustomize deploy/k8s/overlays/production</c> renders, and the rendered objects hold what a safe
/// deployment needs: probes, disruption budgets, RBAC for Orleans' Kubernetes hosting, a long enough grace period,
/// the downward API, and secrets referenced, never inlined.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Lazy<Task<List<JsonNode>>> Rendered = new(RenderAsync);

    [Fact]
    public async Task Silos_and_fronts_have_liveness_and_readiness_probes_and_resources()
    {
        foreach (var name in new[] { "postnext-silo", "postnext-front" })
        {
            var container = Containers(await Get("Deployment", name)).Single();
            Assert.Equal("/health/live", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.Equal("/health/ready", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
            Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
            Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        }
    }

    [Fact]
    public async Task Silos_use_orleans_kubernetes_hosting_with_labels_downward_api_rbac_and_a_grace_period()
    {
        var silo = await Get("Deployment", "postnext-silo");
        var pod = silo["spec"]!["template"]!;
        Assert.Equal("postnext", pod["metadata"]!["labels"]!["orleans/serviceId"]!.GetValue<string>());
        Assert.Equal("postnext", pod["metadata"]!["labels"]!["orleans/clusterId"]!.GetValue<string>());
        Assert.True(int.Parse(pod["spec"]!["terminationGracePeriodSeconds"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= 60);
        Assert.Equal("3", silo["spec"]!["replicas"]!.GetValue<string>());

        var env = Containers(silo).Single()["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!);
        Assert.Equal("true", env["PostNext__Cluster__Kubernetes"]["value"]!.GetValue<string>());
        Assert.Equal("metadata.name", env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());
        Assert.Equal("status.podIP", env["POD_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>());

        var account = pod["spec"]!["serviceAccountName"]!.GetValue<string>();
        var binding = (await AllAsync("RoleBinding")).Single(b => b["subjects"]!.AsArray().Any(s => s!["name"]!.GetValue<string>() == account));
        var role = await Get("Role", binding["roleRef"]!["name"]!.GetValue<string>());
        var pods = role["rules"]!.AsArray().Single(r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>() == "pods"))!;
        Assert.Subset(pods["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ToHashSet(), new HashSet<string> { "get", "list", "watch" });
    }

    [Fact]
    public async Task Disruption_budgets_cover_silos_and_fronts()
    {
        var budgets = await AllAsync("PodDisruptionBudget");
        foreach (var component in new[] { "silo", "front" })
        {
            Assert.Contains(budgets, b => b["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/component"]?.GetValue<string>() == component);
        }

        var hpa = await Get("HorizontalPodAutoscaler", "postnext-front");
        Assert.Equal("postnext-front", hpa["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
        Assert.NotEmpty(await AllAsync("NetworkPolicy"));
        Assert.Equal("migrate", Containers(await Get("Job", "postnext-migrate")).Single()["args"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Secrets_are_referenced_and_never_inlined()
    {
        var objects = await Rendered.Value;
        Assert.DoesNotContain(objects, o => o["kind"]!.GetValue<string>() == "Secret");

        var secretNames = new[] { "ConnectionStrings__PostNext", "PostNext__OperatorKey", "PostNext__KeyRingSecret" };
        var workloads = objects.Where(o => o["kind"]!.GetValue<string>() is "Deployment" or "Job").ToList();
        Assert.Equal(3, workloads.Count);
        foreach (var workload in workloads)
        {
            foreach (var variable in Containers(workload).SelectMany(c => c["env"]!.AsArray()).Where(e => secretNames.Contains(e!["name"]!.GetValue<string>())))
            {
                Assert.Null(variable!["value"]);
                Assert.Equal("postnext-secrets", variable["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>());
            }

            Assert.Contains(Containers(workload).SelectMany(c => c["env"]!.AsArray()), e => e!["name"]!.GetValue<string>() == "ConnectionStrings__PostNext");
        }
    }

    private static IEnumerable<JsonNode> Containers(JsonNode workload) =>
        workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!);

    private static async Task<JsonNode> Get(string kind, string name) =>
        (await AllAsync(kind)).Single(o => o["metadata"]!["name"]!.GetValue<string>() == name);

    private static async Task<List<JsonNode>> AllAsync(string kind) =>
        (await Rendered.Value).Where(o => o["kind"]!.GetValue<string>() == kind).ToList();

    private static async Task<List<JsonNode>> RenderAsync()
    {
        var kubectl = new[] { "/usr/bin/kubectl", "/usr/local/bin/kubectl" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("kubectl not found: install the Debian package 'kubernetes-client', which ships kubectl (.ci/run does it).");
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(RepositoryFiles.PathOf("deploy", "k8s", "overlays", "production"));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize failed: {await error}");
        return Yaml.Documents(await output);
    }
}
