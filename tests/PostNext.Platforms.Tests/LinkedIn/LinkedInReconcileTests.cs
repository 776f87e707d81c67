using PostNext.Platforms.LinkedIn;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>
/// After an unknown outcome the LinkedIn connector settles it on the author's posts, from the checkpoint saved before
/// the create: found, certainly not there, or unknown when the token may not list the author's posts.
/// </summary>
public sealed class LinkedInReconcileTests : IAsyncLifetime
{
    private LinkedInTestbed _li = null!;

    public async Task InitializeAsync() => _li = await LinkedInTestbed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _li.DisposeAsync();

    [Fact]
    public async Task A_post_created_before_the_timeout_is_found_among_the_organizations_posts()
    {
        var content = new PostContent("Quarterly results (Q3) are in #growth", []);
        _li.Api.AddPost(FakeLinkedInApi.OrganizationUrn, "older news", DateTimeOffset.UtcNow.AddDays(-3));
        _li.Api.CreateThenHang();

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content, _li.Organization), CancellationToken.None);
        var found = await _li.Connector.FindPublicationAsync(_li.Reconcile(content, _li.Organization), CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.Found, found.State);
        var created = _li.Api.Posts.Single(p => p.Shown == content.Text);
        Assert.Equal(created.Urn, found.Publication!.ExternalId);
        Assert.Equal("https://www.linkedin.com/feed/update/" + created.Urn, found.Publication.Permalink);
        var search = Assert.Single(_li.Requests("GET", "/rest/posts"));
        Assert.Equal($"?author={Uri.EscapeDataString(FakeLinkedInApi.OrganizationUrn)}&q=author&count=20&start=0&sortBy=CREATED", search.Query);
        Assert.Equal("FINDER", search.Header("X-RestLi-Method"));
        LinkedInTestbed.AssertRestHeaders(search);
    }

    [Fact]
    public async Task A_media_post_is_found_by_its_uploaded_media()
    {
        var content = new PostContent("pic", [new MediaItem(_li.Api.ServeFile("p.png", LinkedInTestbed.Bytes(64, 3), "image/png"), MediaType.Image)]);
        _li.Api.CreateThenHang();

        await _li.Connector.PublishAsync(_li.Publish(content, _li.Organization), CancellationToken.None);
        var found = await _li.Connector.FindPublicationAsync(_li.Reconcile(content with { Text = "caption edited since" }, _li.Organization), CancellationToken.None);

        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(_li.Api.Posts.Single().Urn, found.Publication!.ExternalId);
    }

    [Fact]
    public async Task A_create_LinkedIn_never_received_is_not_found()
    {
        var content = new PostContent("lost in transit", []);
        _li.Api.AddPost(FakeLinkedInApi.OrganizationUrn, "older news", DateTimeOffset.UtcNow.AddDays(-3));
        _li.Api.Server.Hang("POST", "/rest/posts", TimeSpan.FromSeconds(30));

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content, _li.Organization), CancellationToken.None);
        var found = await _li.Connector.FindPublicationAsync(_li.Reconcile(content, _li.Organization), CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.NotFound, found.State);
    }

    [Fact]
    public async Task An_app_configured_with_r_member_social_lists_the_members_posts_and_finds_the_post()
    {
        await using var li = await LinkedInTestbed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1), scopes: ["openid", "profile", "w_member_social", "r_member_social"]);
        li.Api.MemberPostsReadable = true;
        var content = new PostContent("member post", []);
        li.Api.CreateThenHang();

        await li.Connector.PublishAsync(li.Publish(content), CancellationToken.None);
        var found = await li.Connector.FindPublicationAsync(li.Reconcile(content), CancellationToken.None);

        Assert.Equal(ReconcileState.Found, found.State);
    }

    [Fact]
    public async Task Without_r_member_social_a_members_posts_are_not_listed_with_the_restricted_finder_and_the_outcome_stays_unknown()
    {
        var content = new PostContent("member post", []);
        _li.Api.CreateThenHang();

        await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);
        var found = await _li.Connector.FindPublicationAsync(_li.Reconcile(content), CancellationToken.None);

        Assert.Equal(ReconcileState.Unknown, found.State);
        Assert.Contains("r_member_social", found.Detail);
        Assert.Empty(_li.Requests("GET", "/rest/posts"));
    }

    [Fact]
    public async Task Without_a_create_checkpoint_the_create_was_never_sent_so_nothing_is_asked()
    {
        var request = new PublishRequest("pub-li-1", "attempt-1", _li.Member, new PostContent("never sent", []), new Dictionary<string, string>());

        var found = await _li.Connector.FindPublicationAsync(request, CancellationToken.None);

        Assert.Equal(ReconcileState.NotFound, found.State);
        Assert.Empty(_li.Api.Server.Requests);
        Assert.False(request.Checkpoints!.ContainsKey(LinkedInConnector.CreateSentCheckpoint));
    }
}
