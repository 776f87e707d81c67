namespace PostNext.Api.Tests;

/// <summary>Posts over HTTP: validation that stores nothing, idempotency, publishing end to end, edits after start.</summary>
[Collection(ApiCollection.Name)]
public sealed class PostsApiTests(ApiHost api)
{
    private static string Future(int minutes = 60) => DateTimeOffset.UtcNow.AddMinutes(minutes).ToString("O");

    [Fact]
    public async Task A_post_published_now_reaches_each_sandbox_account_exactly_once()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var a = await api.CreateSandboxAccountAsync(ws, key, "a");
        var b = await api.CreateSandboxAccountAsync(ws, key, "b");

        var created = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Launch day!", media = new[] { new { url = "https://cdn.example.com/a.jpg", type = "image" } } },
            targets = new object[] { new { accountId = a }, new { accountId = b, overrides = new { text = "Launch day, B edition" } } },
            schedule = new { mode = "now" },
        }), HttpStatusCode.Created);
        var postId = created["id"]!.GetValue<string>();

        var post = await api.WaitForPostAsync(ws, key, postId, p => p["status"]!.GetValue<string>() == "published");

        Assert.Equal("published", post["status"]!.GetValue<string>());
        foreach (var (account, text) in new[] { (a, "Launch day!"), (b, "Launch day, B edition") })
        {
            var received = await ApiHost.JsonAsync(
                await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account}/sandbox/received?postId={postId}", key), HttpStatusCode.OK);
            var only = Assert.Single(received["received"]!.AsArray());
            Assert.Equal(text, only!["text"]!.GetValue<string>());
            var target = post["targets"]!.AsArray().Single(t => t!["accountId"]!.GetValue<string>() == account)!;
            Assert.Equal(only["permalink"]!.GetValue<string>(), target["permalink"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Posts_read_again_from_storage_each_keep_their_own_content_whatever_is_read_after_them()
    {
        // The grain-state serializer once filled a state's default content object in place: every post read from
        // storage shared that one object, so each showed the text of the post read last, across workspaces.
        var posts = new List<(string Ws, string Key, string Id, string Text)>();
        foreach (var text in new[] { "First workspace's words", "Second workspace's words", "Third workspace's words" })
        {
            var (ws, key) = await api.CreateWorkspaceAsync();
            var account = await api.CreateSandboxAccountAsync(ws, key);
            var created = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
            {
                content = new { text, title = text + " (title)" },
                targets = new[] { new { accountId = account } },
                schedule = new { at = Future(24 * 60) },
            }), HttpStatusCode.Created);
            posts.Add((ws, key, created["id"]!.GetValue<string>(), text));
        }

        await api.CollectActivationsAsync();
        foreach (var round in Enumerable.Range(0, 2))
        {
            foreach (var (ws, key, id, text) in posts)
            {
                var post = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{id}", key), HttpStatusCode.OK);
                Assert.Equal((text, text + " (title)"), (post["content"]!["text"]!.GetValue<string>(), post["content"]!["title"]!.GetValue<string>()));
            }
        }
    }

    [Fact]
    public async Task The_same_request_with_the_same_idempotency_key_creates_one_post()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var body = $$$"""{"content":{"text":"once"},"targets":[{"accountId":"{{{account}}}"}],"schedule":{"at":"{{{Future()}}}"}}""";
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "req-42" };

        var first = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, rawJson: body, headers: headers), HttpStatusCode.Created);
        var second = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, rawJson: body, headers: headers);
        var replay = await ApiHost.JsonAsync(second, HttpStatusCode.Created);
        var different = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, rawJson: body.Replace("once", "twice", StringComparison.Ordinal), headers: headers);

        Assert.Equal(first["id"]!.GetValue<string>(), replay["id"]!.GetValue<string>());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal(1, await CalendarCountAsync(ws, key));
    }

    public static TheoryData<string, string> BadPosts => new()
    {
        { "malformed JSON", """{"content":{"text":"hi"},"targets":[""" },
        { "wrong type", """{"content":{"text":42},"targets":[{"accountId":"{account}"}],"schedule":{"mode":"now"}}""" },
        { "time in the past", """{"content":{"text":"hi"},"targets":[{"accountId":"{account}"}],"schedule":{"at":"2020-01-01T09:00:00+01:00"}}""" },
        { "unknown time zone", """{"content":{"text":"hi"},"targets":[{"accountId":"{account}"}],"schedule":{"at":"2030-01-01T09:00:00","timeZone":"Mars/Olympus"}}""" },
        { "unknown account", """{"content":{"text":"hi"},"targets":[{"accountId":"acc0123456789abcdef0123"}],"schedule":{"mode":"now"}}""" },
        { "another workspace's account", """{"content":{"text":"hi"},"targets":[{"accountId":"{foreign}"}],"schedule":{"mode":"now"}}""" },
        { "no targets", """{"content":{"text":"hi"},"targets":[],"schedule":{"mode":"now"}}""" },
        { "no schedule", """{"content":{"text":"hi"},"targets":[{"accountId":"{account}"}]}""" },
        { "unknown mode", """{"content":{"text":"hi"},"targets":[{"accountId":"{account}"}],"schedule":{"mode":"later"}}""" },
        { "bad media", """{"content":{"text":"hi","media":[{"url":"ftp://x/y.png","type":"gif"}]},"targets":[{"accountId":"{account}"}],"schedule":{"mode":"now"}}""" },
        { "a local time skipped by DST", """{"content":{"text":"hi"},"targets":[{"accountId":"{account}"}],"schedule":{"at":"2030-03-31T02:30:00","timeZone":"Europe/Paris"}}""" },
        { "queue without slots", """{"content":{"text":"hi"},"targets":[{"accountId":"{account}"}],"schedule":{"mode":"queue"}}""" },
        { "a JSON array", """[1,2,3]""" },
    };

    [Theory]
    [MemberData(nameof(BadPosts))]
    public async Task Bad_input_answers_400_with_problem_details_and_stores_nothing(string why, string body)
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var (otherWs, otherKey) = await api.CreateWorkspaceAsync();
        var foreign = await api.CreateSandboxAccountAsync(otherWs, otherKey);

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key,
            rawJson: body.Replace("{account}", account, StringComparison.Ordinal).Replace("{foreign}", foreign, StringComparison.Ordinal));

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>() ?? problem["title"]?.GetValue<string>()), why);
        Assert.Equal(0, await CalendarCountAsync(ws, key));
        var received = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account}/sandbox/received", key), HttpStatusCode.OK);
        Assert.Empty(received["received"]!.AsArray());
    }

    [Fact]
    public async Task A_post_breaking_platform_rules_lists_every_violation_per_target_and_stores_nothing()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var fine = await api.CreateSandboxAccountAsync(ws, key, "fine");
        var strict = await api.CreateSandboxAccountAsync(ws, key, "strict");
        var media = Enumerable.Range(0, 11).Select(i => new { url = $"https://cdn.example.com/{i}.jpg", type = "image" }).ToArray();

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "ok" },
            targets = new object[]
            {
                new { accountId = fine },
                new { accountId = strict, overrides = new { text = new string('x', 10_001), media } },
            },
            schedule = new { at = Future() },
        });

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.UnprocessableEntity);
        var violations = problem["violations"]!.AsArray();
        Assert.Equal(2, violations.Count);
        Assert.All(violations, v => Assert.Equal(strict, v!["accountId"]!.GetValue<string>()));
        Assert.Contains(violations, v => v!["code"]!.GetValue<string>() == "text_too_long");
        Assert.Contains(violations, v => v!["code"]!.GetValue<string>() == "too_many_media");
        Assert.Equal(0, await CalendarCountAsync(ws, key));
    }

    [Fact]
    public async Task Bad_workspace_input_answers_400()
    {
        var badZone = await api.SendAsync(HttpMethod.Post, "/v1/workspaces", ApiHost.OperatorKey, new { name = "X", timeZone = "Nowhere/Land" });
        var noName = await api.SendAsync(HttpMethod.Post, "/v1/workspaces", ApiHost.OperatorKey, new { timeZone = "UTC" });
        var wrongType = await api.SendAsync(HttpMethod.Post, "/v1/workspaces", ApiHost.OperatorKey, rawJson: """{"name": ["a"]}""");

        Assert.Contains("timeZone", (await ApiHost.JsonAsync(badZone, HttpStatusCode.BadRequest))["errors"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("name", (await ApiHost.JsonAsync(noName, HttpStatusCode.BadRequest))["errors"]!.ToJsonString(), StringComparison.Ordinal);
        await ApiHost.JsonAsync(wrongType, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Queue_mode_takes_the_accounts_next_free_slot_in_the_workspace_time_zone()
    {
        var (ws, key) = await api.CreateWorkspaceAsync("America/New_York");
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddDays(1);
        var day = tomorrow.DayOfWeek.ToString()[..3].ToLowerInvariant();
        await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Put, $"/v1/workspaces/{ws}/accounts/{account}/queue", key,
            new { slots = new[] { new { day, time = "09:30" } } }), HttpStatusCode.OK);

        async Task<DateTimeOffset> QueueAsync(string text)
        {
            var post = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
            {
                content = new { text },
                targets = new[] { new { accountId = account } },
                schedule = new { mode = "queue" },
            }), HttpStatusCode.Created);
            return post["targets"]![0]!["scheduledAt"]!.GetValue<DateTimeOffset>();
        }

        var first = await QueueAsync("one");
        var second = await QueueAsync("two");

        var expectedFirst = new DateTimeOffset(tomorrow.AddHours(9.5), zone.GetUtcOffset(tomorrow.AddHours(9.5)));
        var nextWeek = tomorrow.AddDays(7).AddHours(9.5);
        Assert.Equal(expectedFirst, first);
        Assert.Equal(new DateTimeOffset(nextWeek, zone.GetUtcOffset(nextWeek)), second);
    }

    [Fact]
    public async Task Editing_cancel_and_delete_follow_the_post_lifecycle()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key, sandbox: new { latencyMs = 3000 });
        var scheduled = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "v1" },
            targets = new[] { new { accountId = account } },
            schedule = new { at = Future(120) },
        }), HttpStatusCode.Created);
        var postId = scheduled["id"]!.GetValue<string>();
        var path = $"/v1/workspaces/{ws}/posts/{postId}";

        var edited = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Patch, path, key, new { content = new { text = "v2" }, schedule = new { at = Future(180) } }), HttpStatusCode.OK);
        Assert.Equal("v2", edited["content"]!["text"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Delete, path, key)).StatusCode);

        await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, path + "/publish-now", key), HttpStatusCode.OK);
        var late = await api.SendAsync(HttpMethod.Patch, path, key, new { content = new { text = "v3" } });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Post, path + "/cancel", key)).StatusCode);

        var draft = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "later" },
            targets = new[] { new { accountId = account } },
            draft = true,
        }), HttpStatusCode.Created);
        Assert.Equal("draft", draft["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/posts/{draft["id"]}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{draft["id"]}", key)).StatusCode);
    }

    private async Task<int> CalendarCountAsync(string ws, string key)
    {
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddDays(300).ToString("O");
        var calendar = await ApiHost.JsonAsync(
            await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/calendar?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", key),
            HttpStatusCode.OK);
        return calendar["entries"]!.AsArray().Count;
    }
}
