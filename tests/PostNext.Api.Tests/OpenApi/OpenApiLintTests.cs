using System.Diagnostics;

namespace PostNext.Api.Tests.OpenApi;

/// <summary>
/// The host's own OpenAPI document passes Redocly CLI's recommended rules with no error and no warning. The CLI comes
/// from npm (tests/tools/redocly, installed by <c>bash .ci/run</c>, or <c>npm ci --prefix tests/tools/redocly</c>).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiLintTests(ApiHost api)
{
    [Fact]
    public async Task The_document_passes_Redocly_recommended_rules_with_no_error_and_no_warning()
    {
        var cli = Path.Combine(RepositoryRoot(), "tests", "tools", "redocly", "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"Redocly CLI is not installed at {cli}: run `npm ci --prefix tests/tools/redocly` (bash .ci/run does).");
        var file = Path.Combine(Path.GetTempPath(), $"postnext-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, await api.Http.GetStringAsync("openapi/v1.json"));
        try
        {
            var (exit, output, errors) = await RunAsync("node", cli, "lint", file, "--format=json");
            Assert.True(output.Contains('{', StringComparison.Ordinal), $"Redocly CLI wrote no report (exit {exit}): {errors}");
            var report = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
            var problems = string.Join("\n", report["problems"]!.AsArray().Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}"));
            Assert.True(report["totals"]!["errors"]!.GetValue<int>() == 0 && report["totals"]!["warnings"]!.GetValue<int>() == 0, problems);
            Assert.Equal(0, exit);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_introduction_shows_the_bearer_header_as_code_so_the_docs_page_keeps_its_placeholder()
    {
        var document = JsonNode.Parse(await api.Http.GetStringAsync("openapi/v1.json"))!;

        Assert.Contains("```http\nAuthorization: Bearer <key>\n```", document["info"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("docs")).StatusCode);
    }

    /// <summary>The folder holding PostNext.Orleans.sln, above the test's output folder.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PostNext.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No PostNext.Orleans.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NO_UPDATE_NOTIFIER"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
