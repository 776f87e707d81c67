using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.Instagram;
using PostNext.Platforms.Tests.LinkedIn;
using PostNext.Platforms.Tests.X;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// X threads and first comments over HTTP: checked before anything is stored (400 naming the field, 422 naming the
/// rule), shown back on GET with each part's id, and sent once each: the replies in order, each answering the part
/// before it; the comment under the post. A comment the platform refuses leaves the post published.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class ThreadsAndCommentsTests(ConnectorsHost host)
{
    [Fact]
    public async Task An_x_thread_is_published_in_order_and_shown_back_with_each_parts_id()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var x = await ImportAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, "access-token-1");
        var run = Guid.NewGuid().ToString("N")[..8];

        var created = await host.Api.CreatePostAsync(ws, key, new
        {
            content = new { text = $"1/3 Thread {run}" },
            targets = new[] { new { accountId = x, options = new { x = new { thread = new[] { new { text = $"2/3 Thread {run}" }, new { text = $"3/3 Thread {run}" } } } } } },
            schedule = new { mode = "now" },
        });
        var post = await host.Api.WaitForPostAsync(ws, key, created["id"]!.GetValue<string>());

        var target = ConnectorsApi.Target(post, x);
        Assert.True(target["status"]!.GetValue<string>() == "published", post.ToJsonString());
        var tweets = host.X.Tweets.ToList().Where(t => t.Text.Contains(run, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"1/3 Thread {run}", $"2/3 Thread {run}", $"3/3 Thread {run}"], tweets.Select(t => t.Text));
        Assert.Equal([null, tweets[0].Id, tweets[1].Id], tweets.Select(t => t.InReplyTo));
        Assert.Equal(3, host.X.Server.Requests.Count(r => r.Method == "POST" && r.Path == "/2/tweets" && r.Body.Contains(run, StringComparison.Ordinal)));
        Assert.Equal(tweets[0].Id, target["externalId"]!.GetValue<string>());
        var parts = target["parts"]!.AsArray();
        Assert.Equal(tweets.Select(t => t.Id), parts.Select(p => p!["externalId"]!.GetValue<string>()));
        Assert.Equal(["post", "reply", "reply"], parts.Select(p => p!["kind"]!.GetValue<string>()));
        Assert.All(parts, p => Assert.Equal("published", p!["status"]!.GetValue<string>()));
        Assert.Equal([$"2/3 Thread {run}", $"3/3 Thread {run}"], target["options"]!["x"]!["thread"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_first_comment_goes_once_under_the_post_on_instagram_facebook_linkedin_and_youtube()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var imageUrl = host.TikTok.AddMedia($"comment-{run}.jpg", TestMedia.Jpeg(1080, 1080), "image/jpeg");
        var videoUrl = host.YouTube.AddMedia($"comment-{run}.mp4", TestMedia.Mp4(1920, 1080, 30, mediaBytes: 300_000), "video/mp4");
        var instagram = await ImportAsync(ws, key, PlatformIds.Instagram, FakeInstagramApi.Username, FakeInstagramApi.IgUserId, host.Instagram.Token);
        var facebook = await ImportAsync(ws, key, PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken);
        var linkedIn = await ImportAsync(ws, key, PlatformIds.LinkedIn, "ada", FakeLinkedInApi.MemberUrn, "access-token-1");
        var youTube = await ImportAsync(ws, key, PlatformIds.YouTube, "postnextchannel", host.YouTube.ChannelId, host.YouTube.AccessToken);

        var created = await host.Api.CreatePostAsync(ws, key, new
        {
            content = new { text = $"New loaves {run}", media = new[] { new { url = imageUrl, type = "image" } } },
            targets = new object[]
            {
                new { accountId = instagram, options = new { instagram = new { firstComment = $"#bread {run}" } } },
                new { accountId = facebook, options = new { facebook = new { firstComment = $"Order online {run}" } } },
                new { accountId = linkedIn, options = new { linkedin = new { firstComment = $"Details {run}" } } },
                new
                {
                    accountId = youTube, overrides = new { title = $"Loaves {run}", media = new[] { new { url = videoUrl, type = "video" } } },
                    options = new { youtube = new { firstComment = $"Chapters {run}" } },
                },
            },
            schedule = new { mode = "now" },
        });
        var post = await host.Api.WaitForPostAsync(ws, key, created["id"]!.GetValue<string>());

        Assert.True(post["status"]!.GetValue<string>() == "published", post.ToJsonString());
        foreach (var (account, comment) in new[] { (instagram, $"#bread {run}"), (facebook, $"Order online {run}"), (linkedIn, $"Details {run}"), (youTube, $"Chapters {run}") })
        {
            var target = ConnectorsApi.Target(post, account);
            var parts = target["parts"]!.AsArray();
            Assert.Equal(["post", "comment"], parts.Select(p => p!["kind"]!.GetValue<string>()));
            Assert.All(parts, p => Assert.Equal("published", p!["status"]!.GetValue<string>()));
            Assert.Equal(target["externalId"]!.GetValue<string>(), parts[0]!["externalId"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(parts[1]!["externalId"]?.GetValue<string>()), comment);
        }

        var igPost = ConnectorsApi.Target(post, instagram)["externalId"]!.GetValue<string>();
        Assert.Equal($"#bread {run}", Assert.Single(host.Instagram.CommentEdge.On(igPost)).Text);
        var fbPost = ConnectorsApi.Target(post, facebook)["externalId"]!.GetValue<string>();
        Assert.Equal($"Order online {run}", Assert.Single(host.Facebook.CommentEdge.On(fbPost)).Text);
        var liPost = ConnectorsApi.Target(post, linkedIn)["externalId"]!.GetValue<string>();
        var liComment = Assert.Single(host.LinkedIn.Comments.ToList(), c => c.Object == liPost);
        Assert.Equal(($"Details {run}", FakeLinkedInApi.MemberUrn), (liComment.Text, liComment.Actor));
        var video = ConnectorsApi.Target(post, youTube)["externalId"]!.GetValue<string>();
        Assert.Equal($"Chapters {run}", Assert.Single(host.YouTube.CommentThreads.ToList(), c => c.VideoId == video).Text);
        foreach (var (fake, text) in new[] { (host.Instagram.Server, $"#bread {run}"), (host.Facebook.Server, $"Order online {run}") })
        {
            Assert.Single(fake.Requests, r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal) && Uri.UnescapeDataString(r.Body.Replace('+', ' ')).Contains(text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_first_comment_the_platform_refuses_leaves_the_post_published_with_the_comment_failed()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var facebook = await ImportAsync(ws, key, PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken);
        var run = Guid.NewGuid().ToString("N")[..8];
        host.Facebook.CommentEdge.RefuseNext = (400, "(#200) Permissions error", 200);
        try
        {
            var created = await host.Api.CreatePostAsync(ws, key, new
            {
                content = new { text = $"Open today {run}" },
                targets = new[] { new { accountId = facebook, options = new { facebook = new { firstComment = $"Refused {run}" } } } },
                schedule = new { mode = "now" },
            });
            var post = await host.Api.WaitForPostAsync(ws, key, created["id"]!.GetValue<string>());

            Assert.True(post["status"]!.GetValue<string>() == "published", post.ToJsonString());
            var target = ConnectorsApi.Target(post, facebook);
            Assert.True(host.Facebook.Posts.ContainsKey(target["externalId"]!.GetValue<string>()));
            Assert.Null(target["error"]);
            var comment = target["parts"]!.AsArray()[1]!;
            Assert.Equal("failed", comment["status"]!.GetValue<string>());
            Assert.Contains("Permissions error", comment["error"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Empty(host.Facebook.CommentEdge.On(target["externalId"]!.GetValue<string>()));
        }
        finally
        {
            host.Facebook.CommentEdge.RefuseNext = null;
        }
    }

    [Fact]
    public async Task A_post_out_whose_first_comment_waits_for_a_retry_lists_as_published_with_parts_pending_as_its_page_shows_it()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var facebook = await ImportAsync(ws, key, PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken);
        var run = Guid.NewGuid().ToString("N")[..8];
        host.Facebook.CommentEdge.Refusing = (500, "An unexpected error has occurred. Please retry your request later.", 2);
        try
        {
            var created = await host.Api.CreatePostAsync(ws, key, new
            {
                content = new { text = $"Fresh bread {run}" },
                targets = new[] { new { accountId = facebook, options = new { facebook = new { firstComment = $"Retried {run}" } } } },
                schedule = new { mode = "now" },
            });
            var postId = created["id"]!.GetValue<string>();
            var post = await PollAsync(ws, key, postId, p =>
                ConnectorsApi.Target(p, facebook)["parts"]?.AsArray() is [{ } first, { } comment] &&
                first["status"]!.GetValue<string>() == "published" && comment["status"]!.GetValue<string>() == "pending");

            // The post is out, its comment waits for a retry: its page and the list both say published.
            var target = ConnectorsApi.Target(post, facebook);
            Assert.True(target["parts"]![1]!["status"]!.GetValue<string>() == "pending", post.ToJsonString());
            Assert.Equal("published", post["status"]!.GetValue<string>());
            var listed = await ListedAsync(ws, key, postId, "");
            Assert.True(listed["status"]!.GetValue<string>() == "published", listed.ToJsonString());
            var listedTarget = listed["targets"]![0]!;
            Assert.True(listedTarget["partsPending"]!.GetValue<bool>(), listed.ToJsonString());
            Assert.NotNull(listedTarget["publishedAt"]?.GetValue<DateTimeOffset>());
            Assert.Equal(postId, (await ListedAsync(ws, key, postId, "?status=published"))["id"]!.GetValue<string>());
            var scheduled = await ApiHost.JsonAsync(await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts?status=scheduled", key), HttpStatusCode.OK);
            Assert.Empty(scheduled["posts"]!.AsArray());

            // Once the comment is out, nothing is pending any more.
            host.Facebook.CommentEdge.Refusing = null;
            await host.Api.WaitForPostAsync(ws, key, postId);
            listed = await ListedAsync(ws, key, postId, "");
            Assert.Equal(("published", false), (listed["status"]!.GetValue<string>(), listed["targets"]![0]!["partsPending"]!.GetValue<bool>()));
        }
        finally
        {
            host.Facebook.CommentEdge.Refusing = null;
        }
    }

    private async Task<JsonObject> PollAsync(string ws, string key, string postId, Func<JsonObject, bool> done)
    {
        // A bound, not a wait: a comment whose create may have taken effect is reconciled first (after the reconcile
        // delay, 15 s) before its retry is scheduled, which takes longer on a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var post = await host.Api.GetPostAsync(ws, key, postId);
            if (done(post) || DateTime.UtcNow > deadline)
            {
                return post;
            }

            await Task.Delay(100);
        }
    }

    private async Task<JsonNode> ListedAsync(string ws, string key, string postId, string query)
    {
        var list = await ApiHost.JsonAsync(await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts{query}", key), HttpStatusCode.OK);
        return Assert.Single(list["posts"]!.AsArray(), p => p!["id"]!.GetValue<string>() == postId)!;
    }

    [Fact]
    public async Task A_thread_over_its_cap_or_a_blank_comment_or_options_of_another_platform_answer_400_naming_each_field_and_store_nothing()
    {
        var (ws, key, x, linkedIn) = await XAndLinkedInAsync();

        var refused = await host.Api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Too long a thread" },
            targets = new object[]
            {
                new { accountId = x, options = new { x = new { thread = Enumerable.Range(2, 25).Select(i => new { text = $"{i}/26" }).ToArray() } } },
                new { accountId = linkedIn, options = new { linkedin = new { firstComment = "   " }, x = new { thread = new[] { new { text = "no" } } } } },
            },
            schedule = new { mode = "now" },
        });

        var errors = (await ApiHost.JsonAsync(refused, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(
            ["targets[0].options.x.thread", "targets[1].options.linkedin.firstComment", "targets[1].options.x"],
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("at most 25 parts", errors["targets[0].options.x.thread"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await host.Api.AssertNothingStoredAsync(ws, key);
    }

    [Fact]
    public async Task A_thread_part_over_xs_length_or_a_comment_over_linkedins_answer_422_naming_the_part_and_store_nothing()
    {
        var (ws, key, x, linkedIn) = await XAndLinkedInAsync();

        var refused = await host.Api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Short enough" },
            targets = new object[]
            {
                new { accountId = x, options = new { x = new { thread = new[] { new { text = "fine" }, new { text = new string('a', 281) } } } } },
                new { accountId = linkedIn, options = new { linkedin = new { firstComment = new string('c', 1251) } } },
            },
            schedule = new { mode = "now" },
        });

        var problem = await ApiHost.JsonAsync(refused, HttpStatusCode.UnprocessableEntity);
        var violations = problem["violations"]!.AsArray().Select(v => (v!["accountId"]!.GetValue<string>(), v["code"]!.GetValue<string>(), v["field"]!.GetValue<string>())).ToList();
        Assert.Equal([(x, "text_too_long", "options.x.thread[1].text"), (linkedIn, "comment_too_long", "options.linkedin.firstComment")], violations);
        Assert.Contains("Thread part 3", problem["violations"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await host.Api.AssertNothingStoredAsync(ws, key);
    }

    private async Task<(string Ws, string Key, string X, string LinkedIn)> XAndLinkedInAsync()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        return (ws, key, await ImportAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, "access-token-1"),
            await ImportAsync(ws, key, PlatformIds.LinkedIn, "ada", FakeLinkedInApi.MemberUrn, "access-token-1"));
    }

    private async Task<string> ImportAsync(string ws, string key, string platform, string handle, string externalId, string token) =>
        (await host.Api.ImportAccountAsync(ws, key, platform, handle, externalId, token))["id"]!.GetValue<string>();
}
