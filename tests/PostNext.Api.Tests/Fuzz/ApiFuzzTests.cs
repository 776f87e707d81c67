using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Sdk;

namespace PostNext.Api.Tests.Fuzz;

/// <summary>
/// Property-based fuzzing of every route in the host's own OpenAPI document. For every generated request: never a
/// 5xx, never a hang, every 4xx an RFC 9457 problem that says what was wrong, never the other workspace's data, and
/// a rejected change stores nothing. <c>POSTNEXT_FUZZ_CASES</c> sets the number of requests (CI: 1500; the long run
/// in the README: 50000).
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class ApiFuzzTests(FuzzHost host)
{
    private static readonly TimeSpan NoAnswerAfter = TimeSpan.FromSeconds(20);

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("POSTNEXT_FUZZ_CASES"), out var n) && n > 0 ? n : 1500;

    [Fact]
    public void Every_route_in_the_document_answers_hostile_requests_safely()
    {
        var operations = ApiOperation.ReadAll(host.Document);
        Assert.True(operations.Count >= 33, $"the document lists only {operations.Count} operations");
        var requests = new FuzzRequests(operations, host.Document, host.Own, host.Other, FuzzHost.OperatorKey);
        var covered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        // Every operation at least a few times (a new route is covered without editing this suite), then any at random.
        var perOperation = Math.Max(1, Cases / (operations.Count * 4));
        foreach (var operation in operations)
        {
            Prop.ForAll(Arb.From(requests.For(operation)), request => Holds(request, covered))
                .Check(Config.QuickThrowOnFailure.WithMaxTest(perOperation));
        }

        Prop.ForAll(Arb.From(requests.Any()), request => Holds(request, covered))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(Math.Max(1, Cases - (perOperation * operations.Count))));

        Assert.All(operations, o => Assert.True(covered.ContainsKey(o.ToString()), $"{o} was never requested"));
    }

    private bool Holds(FuzzRequest request, ConcurrentDictionary<string, int> covered)
    {
        covered.AddOrUpdate(request.Operation.ToString(), 1, (_, n) => n + 1);
        var before = request.Mutates ? SnapshotAsync().GetAwaiter().GetResult() : null;
        var (status, type, body) = SendAsync(request).GetAwaiter().GetResult();

        Require(status < 500, request, $"answered {status}: {Cut(body)}");
        // The operator sees every workspace; any other key must never see the other workspace's data.
        Require(request.Key == FuzzHost.OperatorKey || !body.Contains(host.Other.Marker, StringComparison.Ordinal), request, $"answered another workspace's data ({status}): {Cut(body)}");
        if (status >= 400)
        {
            Require(type == "application/problem+json", request, $"answered {status} as '{type}', not problem details: {Cut(body)}");
            var problem = Parse(body);
            Require(problem?["status"]?.GetValue<int>() == status && problem["title"] is not null, request, $"answered {status} with a malformed problem: {Cut(body)}");
            var named = problem!["detail"]?.GetValue<string>() is { Length: > 0 } || problem["errors"]?.AsObject().Count > 0;
            Require(named, request, $"answered {status} without saying what was wrong: {Cut(body)}");
            if (before is not null)
            {
                var after = SnapshotAsync().GetAwaiter().GetResult();
                Require(after == before, request, $"answered {status} but changed the workspace:\nbefore {before}\nafter  {after}");
            }
        }

        return true;
    }

    private async Task<(int Status, string? Type, string Body)> SendAsync(FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Operation.Method), request.Path.TrimStart('/'));
        if (request.Key is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Key.StartsWith("Basic ", StringComparison.Ordinal) ? request.Key : "Bearer " + request.Key);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        using var deadline = new CancellationTokenSource(NoAnswerAfter);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await host.Api.Http.SendAsync(message, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"no answer within {NoAnswerAfter.TotalSeconds} s ({watch.Elapsed.TotalSeconds:0.0} s): {request}");
        }
    }

    /// <summary>What a rejected change must leave as it was: keys, accounts, webhooks, the queue, the seeded post, the calendar.</summary>
    private async Task<string> SnapshotAsync()
    {
        var own = host.Own;
        async Task<JsonNode> GetAsync(string path) =>
            await host.Api.JsonAsync(HttpMethod.Get, path, own.Key, null, HttpStatusCode.OK);
        var workspace = await GetAsync($"/v1/workspaces/{own.Id}");
        var accounts = await GetAsync($"/v1/workspaces/{own.Id}/accounts");
        var webhooks = await GetAsync($"/v1/workspaces/{own.Id}/webhooks");
        var queue = await GetAsync($"/v1/workspaces/{own.Id}/accounts/{own.AccountId}/queue");
        using var postResponse = await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{own.Id}/posts/{own.PostId}", own.Key);
        var post = postResponse.StatusCode == HttpStatusCode.OK
            ? JsonNode.Parse(await postResponse.Content.ReadAsStringAsync())!
            : JsonNode.Parse("""{"content": "gone", "targets": []}""")!;
        var now = DateTimeOffset.UtcNow;
        var calendar = await GetAsync($"/v1/workspaces/{own.Id}/calendar?from={now.AddDays(-1):yyyy-MM-ddTHH:00:00Z}&to={now.AddDays(365):yyyy-MM-ddTHH:00:00Z}&limit=1000");
        var text = new StringBuilder();
        text.Append("ws ").Append(workspace["name"]).Append(' ').Append(workspace["timeZone"]).Append(" keys ")
            .AppendJoin(',', workspace["apiKeys"]!.AsArray().Select(k => $"{k!["id"]}:{k["revokedAt"]}:{k["scopes"]!.ToJsonString()}"))
            .Append(" accounts ").AppendJoin(',', accounts["accounts"]!.AsArray().Select(a => $"{a!["id"]}:{a["handle"]}:{a["platform"]}"))
            .Append(" webhooks ").AppendJoin(',', webhooks["webhooks"]!.AsArray().Select(w => $"{w!["id"]}:{w["url"]}:{w["events"]!.ToJsonString()}"))
            .Append(" queue ").Append(queue["slots"]!.ToJsonString())
            .Append(" post ").Append(post["content"]!.ToJsonString()).AppendJoin(',', post["targets"]!.AsArray().Select(t => $"{t!["accountId"]}@{t["scheduledAt"]}"))
            .Append(" calendar ").AppendJoin(',', calendar["entries"]!.AsArray().Select(e => $"{e!["postId"]}/{e["accountId"]}@{e["scheduledAt"]}").Order(StringComparer.Ordinal));
        return text.ToString();
    }

    private static JsonNode? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static void Require(bool condition, FuzzRequest request, string what)
    {
        if (!condition)
        {
            throw new XunitException($"{request.Operation} {what}\nrequest: {request}");
        }
    }

    private static string Cut(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
