using System.Text.Json;

namespace PostNext.Web.Tests;

/// <summary>
/// Every page of the app, audited in chromium with axe-core (WCAG 2.x A and AA rules: labels, names, contrast,
/// landmarks, …), injected from disk (tests/tools/axe, installed by <c>bash .ci/run</c> or <c>npm ci --prefix
/// tests/tools/axe</c>), with data on each page so the rules look at real content.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AccessibilityTests(WebHost host)
{
    [Fact]
    public async Task Every_page_passes_the_wcag_a_and_aa_rules_of_axe()
    {
        var axe = Path.Combine(RepositoryRoot(), "tests", "tools", "axe", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"axe-core is not installed at {axe}: run `npm ci --prefix tests/tools/axe` (bash .ci/run does).");

        var (ws, key) = await host.CreateWorkspaceAsync();
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "audit" }))["id"]!.GetValue<string>();
        var at = DateTimeOffset.UtcNow.AddDays(2);
        var post = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Audited post #a11y" },
            targets = new[] { new { accountId = account } },
            schedule = new { at = at.ToString("O") },
        }))["id"]!.GetValue<string>();

        var anonymous = await host.NewPageAsync();
        var problems = new List<string>();
        await AuditAsync(anonymous, "/app/sign-in", axe, problems);

        var page = await host.NewPageAsync();
        await host.JoinAsOwnerAsync(page, ws);
        string[] pages =
        [
            $"/app/calendar?date={at:yyyy-MM-dd}", $"/app/calendar?view=week&date={at:yyyy-MM-dd}", $"/app/calendar?view=list&date={at:yyyy-MM-dd}",
            "/app/compose", "/app/posts", $"/app/posts/{post}", "/app/accounts", "/app/analytics", "/app/webhooks", "/app/members",
        ];
        foreach (var path in pages)
        {
            await AuditAsync(page, path, axe, problems);
        }

        Assert.True(problems.Count == 0, "axe found:\n" + string.Join("\n", problems));
    }

    private static async Task AuditAsync(IPage page, string path, string axe, List<string> problems)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response?.Ok, $"{path} answered {response?.Status}");
        await page.AddScriptTagAsync(new() { Path = axe });
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
              return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary) }));
            }
            """);
        foreach (var violation in result.EnumerateArray())
        {
            var nodes = string.Join("; ", violation.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
            problems.Add($"{path}: {violation.GetProperty("id").GetString()} ({violation.GetProperty("impact")}): {violation.GetProperty("help").GetString()} — {nodes}");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PostNext.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (PostNext.Orleans.sln) was not found.");
    }
}
