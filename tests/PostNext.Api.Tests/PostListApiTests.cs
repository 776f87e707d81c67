namespace PostNext.Api.Tests;

/// <summary>The posts list over HTTP: drafts included, newest first, filters, cursor paging, live statuses, bad parameters.</summary>
[Collection(ApiCollection.Name)]
public sealed class PostListApiTests(ApiHost api)
{
    private static string Future(int minutes = 60) => DateTimeOffset.UtcNow.AddMinutes(minutes).ToString("O");

    private async Task<string> CreateAsync(string ws, string key, object body) =>
        (await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, body), HttpStatusCode.Created))["id"]!.GetValue<string>();

    private async Task<JsonObject> ListAsync(string ws, string key, string query = "") =>
        await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts{query}", key), HttpStatusCode.OK);

    private static List<string> Ids(JsonObject page) => page["posts"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Drafts_and_scheduled_posts_are_listed_newest_first_and_filtered_by_status_account_platform_and_text()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var a = await api.CreateSandboxAccountAsync(ws, key, "a");
        var b = await api.CreateSandboxAccountAsync(ws, key, "b");
        var draft = await CreateAsync(ws, key, new { content = new { text = "Spring SALE draft" }, targets = new[] { new { accountId = a } }, draft = true });
        var toA = await CreateAsync(ws, key, new { content = new { text = "Hello A" }, targets = new[] { new { accountId = a } }, schedule = new { at = Future() } });
        var toBoth = await CreateAsync(ws, key, new
        {
            content = new { text = "Hello everyone" },
            targets = new object[] { new { accountId = a }, new { accountId = b, overrides = new { text = "A special sale for B" } } },
            schedule = new { at = Future(90) },
        });
        var (otherWs, otherKey) = await api.CreateWorkspaceAsync();

        var all = await ListAsync(ws, key);

        Assert.Equal([toBoth, toA, draft], Ids(all));
        Assert.Null(all["nextCursor"]);
        var listedDraft = all["posts"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == draft)!;
        Assert.Equal("draft", listedDraft["status"]!.GetValue<string>());
        Assert.Equal("Spring SALE draft", listedDraft["text"]!.GetValue<string>());
        var listedBoth = all["posts"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == toBoth)!;
        Assert.Equal("scheduled", listedBoth["status"]!.GetValue<string>());
        Assert.Equal([a, b], listedBoth["targets"]!.AsArray().Select(t => t!["accountId"]!.GetValue<string>()));
        Assert.All(listedBoth["targets"]!.AsArray(), t => Assert.Equal("scheduled", t!["status"]!.GetValue<string>()));

        Assert.Equal([draft], Ids(await ListAsync(ws, key, "?status=draft")));
        Assert.Equal([toBoth, toA], Ids(await ListAsync(ws, key, "?status=scheduled")));
        Assert.Empty(Ids(await ListAsync(ws, key, "?status=published")));
        Assert.Equal([toBoth], Ids(await ListAsync(ws, key, $"?accountId={b}")));
        Assert.Equal([toBoth, toA, draft], Ids(await ListAsync(ws, key, "?platform=sandbox")));
        Assert.Empty(Ids(await ListAsync(ws, key, "?platform=x")));
        Assert.Equal([toBoth, draft], Ids(await ListAsync(ws, key, "?q=sale")));
        Assert.Equal([draft], Ids(await ListAsync(ws, key, "?q=sale&status=draft")));
        Assert.Equal([toA], Ids(await ListAsync(ws, key, $"?q=hello&accountId={a}&status=scheduled&limit=1&cursor=" + (await ListAsync(ws, key, $"?q=hello&accountId={a}&limit=1"))["nextCursor"]!.GetValue<string>())));
        Assert.Empty(Ids(await ListAsync(otherWs, otherKey)));
    }

    [Fact]
    public async Task Cursor_paging_returns_every_post_once_in_order()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(i % 2 == 0
                ? await CreateAsync(ws, key, new { content = new { text = $"post {i}" }, targets = new[] { new { accountId = account } }, draft = true })
                : await CreateAsync(ws, key, new { content = new { text = $"post {i}" }, targets = new[] { new { accountId = account } }, schedule = new { at = Future() } }));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(ws, key, "?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.True(Ids(page).Count <= 3);
            seen.AddRange(Ids(page));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        created.Reverse();
        Assert.Equal(created, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Live_statuses_show_published_canceled_and_deleted_posts_leave_the_list()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var now = await CreateAsync(ws, key, new { content = new { text = "now" }, targets = new[] { new { accountId = account } }, schedule = new { mode = "now" } });
        var canceled = await CreateAsync(ws, key, new { content = new { text = "later" }, targets = new[] { new { accountId = account } }, schedule = new { at = Future() } });
        var deleted = await CreateAsync(ws, key, new { content = new { text = "gone" }, targets = new[] { new { accountId = account } }, draft = true });
        await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts/{canceled}/cancel", key), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/posts/{deleted}", key)).StatusCode);

        List<string> published;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200);
            published = Ids(await ListAsync(ws, key, "?status=published"));
        }
        while (published.Count == 0 && DateTime.UtcNow < deadline);

        Assert.Equal([now], published);
        Assert.Equal([canceled], Ids(await ListAsync(ws, key, "?status=canceled")));
        Assert.Equal([canceled, now], Ids(await ListAsync(ws, key)));
        var target = (await ListAsync(ws, key, "?status=published"))["posts"]![0]!["targets"]![0]!;
        Assert.Equal("published", target["status"]!.GetValue<string>());
        Assert.NotNull(target["publishedAt"]);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "?status=sent", "status" },
        { "?status=", "status" },
        { "?accountId=nope", "accountId" },
        { "?platform=myspace", "platform" },
        { "?q=%20%20", "q" },
        { "?q=" + new string('a', 201), "q" },
        { "?limit=0", "limit" },
        { "?limit=201", "limit" },
        { "?limit=-1", "limit" },
        { "?limit=ten", "limit" },
        { "?cursor=bm90LWEtY3Vyc29y", "cursor" },
        { "?cursor=%25%25%25", "cursor" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_query_parameters_answer_400_problem_details_naming_the_parameter(string query, string field)
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var response = await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts{query}", key);

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }
}
