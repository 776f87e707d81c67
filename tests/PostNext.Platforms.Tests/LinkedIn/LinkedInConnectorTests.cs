using System.Text.Json.Nodes;
using PostNext.Platforms.LinkedIn;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>The LinkedIn connector publishes (text, images, video) and reads metrics with exactly the requests LinkedIn documents.</summary>
public sealed class LinkedInConnectorTests : IAsyncLifetime
{
    private const string Tricky = @"Launch (beta) #1 for @team: [docs] {x} <b> a_b *c* ~d~ | e\f";
    private LinkedInTestbed _li = null!;

    public async Task InitializeAsync() => _li = await LinkedInTestbed.StartAsync();

    public async Task DisposeAsync() => await _li.DisposeAsync();

    [Fact]
    public async Task A_text_post_is_one_POST_to_rest_posts_with_escaped_commentary_and_the_urn_from_x_restli_id()
    {
        var outcome = await _li.Connector.PublishAsync(_li.Publish(new PostContent(Tricky, [])), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var create = Assert.Single(_li.Requests("POST", "/rest/posts"));
        LinkedInTestbed.AssertRestHeaders(create);
        Assert.StartsWith("application/json", create.Header("Content-Type"));
        LinkedInTestbed.AssertJson("""
            {"author":"urn:li:person:782bbtaQ",
             "commentary":"Launch \\(beta\\) \\#1 for \\@team: \\[docs\\] \\{x\\} \\<b\\> a\\_b \\*c\\* \\~d\\~ \\| e\\\\f",
             "visibility":"PUBLIC",
             "distribution":{"feedDistribution":"MAIN_FEED","targetEntities":[],"thirdPartyDistributionChannels":[]},
             "lifecycleState":"PUBLISHED","isReshareDisabledByAuthor":false}
            """, create.Body);
        var post = Assert.Single(_li.Api.Posts);
        Assert.Equal(Tricky, post.Shown); // LinkedIn shows every character, nothing cut
        Assert.Equal(post.Urn, outcome.ExternalId);
        Assert.StartsWith("urn:li:share:", outcome.ExternalId);
        Assert.Equal("https://www.linkedin.com/feed/update/" + post.Urn, outcome.Permalink);
        Assert.True(_li.Journal.Saved.ContainsKey(LinkedInConnector.CreateSentCheckpoint));
    }

    [Theory]
    [InlineData("CONNECTIONS")]
    [InlineData("LOGGED_IN")]
    public async Task The_targets_visibility_is_sent(string visibility)
    {
        var content = new PostContent("Members only", [], Options: new PostOptions(LinkedIn: new LinkedInPostOptions(visibility)));

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(visibility, JsonNode.Parse(Assert.Single(_li.Requests("POST", "/rest/posts")).Body)!["visibility"]!.GetValue<string>());
        Assert.Equal(visibility, Assert.Single(_li.Api.Posts).Visibility);
    }

    [Fact]
    public async Task A_page_post_for_connections_only_is_refused_before_anything_is_sent()
    {
        var content = new PostContent("Members only", [], Options: new PostOptions(LinkedIn: new LinkedInPostOptions("CONNECTIONS")));

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content, _li.Organization), CancellationToken.None);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(_li.Requests("POST", "/rest/posts"));
    }

    [Fact]
    public void An_unescaped_commentary_would_be_cut_which_is_why_it_is_escaped()
    {
        Assert.Equal("Launch ", FakeLinkedInApi.Rendered(Tricky));
        Assert.Equal(Tricky, FakeLinkedInApi.Rendered(LittleText.Escape(Tricky)));
    }

    [Fact]
    public async Task An_image_post_initializes_the_upload_PUTs_the_bytes_and_references_the_image_urn()
    {
        var bytes = LinkedInTestbed.Bytes(3000, 1);
        var content = new PostContent("One picture", [new MediaItem(_li.Api.ServeFile("a.png", bytes, "image/png"), MediaType.Image)]);

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var init = Assert.Single(_li.Requests("POST", "/rest/images"));
        Assert.Equal("?action=initializeUpload", init.Query);
        LinkedInTestbed.AssertRestHeaders(init);
        LinkedInTestbed.AssertJson("""{"initializeUploadRequest":{"owner":"urn:li:person:782bbtaQ"}}""", init.Body);
        var (urn, image) = Assert.Single(_li.Api.Images);
        var put = Assert.Single(_li.Requests("PUT", "/dms-uploads/image/"));
        Assert.Equal("?ca=vector_feedshare&cn=uploads", put.Query);
        Assert.Equal("Bearer access-token-1", put.Header("Authorization"));
        Assert.Equal(bytes, image.Bytes);
        var create = Assert.Single(_li.Requests("POST", "/rest/posts"));
        Assert.Equal(urn, System.Text.Json.Nodes.JsonNode.Parse(create.Body)!["content"]!["media"]!["id"]!.ToString());
        Assert.Equal(urn, _li.Journal.Saved[LinkedInConnector.MediaCheckpoint]);
    }

    [Fact]
    public async Task Several_images_become_a_multiImage_post()
    {
        var content = new PostContent("Album", [
            new MediaItem(_li.Api.ServeFile("a.jpg", LinkedInTestbed.Bytes(100, 1), "image/jpeg"), MediaType.Image),
            new MediaItem(_li.Api.ServeFile("b.jpg", LinkedInTestbed.Bytes(200, 2), "image/jpeg"), MediaType.Image),
        ]);

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(2, _li.Requests("POST", "/rest/images").Count);
        var urns = _li.Api.Posts.Single().Media;
        var create = Assert.Single(_li.Requests("POST", "/rest/posts"));
        var images = System.Text.Json.Nodes.JsonNode.Parse(create.Body)!["content"]!["multiImage"]!["images"]!.AsArray();
        Assert.Equal(urns, images.Select(i => i!["id"]!.ToString()));
        Assert.All(urns, u => Assert.NotNull(_li.Api.Images[u].Bytes));
    }

    [Fact]
    public async Task A_video_is_uploaded_in_the_assigned_parts_finalized_with_their_ETags_and_awaited_before_the_post()
    {
        _li.Api.VideoPartSize = 1000;
        _li.Api.ProcessingPolls = 2;
        var bytes = LinkedInTestbed.Bytes(2500, 9);
        var content = new PostContent("Watch", [new MediaItem(_li.Api.ServeFile("v.mp4", bytes, "video/mp4"), MediaType.Video)], Title: "Launch video");

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var video = Assert.Single(_li.Api.Videos.Values);
        var init = _li.Requests("POST", "/rest/videos")[0];
        Assert.Equal("?action=initializeUpload", init.Query);
        LinkedInTestbed.AssertRestHeaders(init);
        LinkedInTestbed.AssertJson("""{"initializeUploadRequest":{"owner":"urn:li:person:782bbtaQ","fileSizeBytes":2500,"uploadCaptions":false,"uploadThumbnail":false}}""", init.Body);

        var parts = _li.Requests("PUT", $"/dms-uploads/video/{video.Id}/");
        Assert.Equal([$"/dms-uploads/video/{video.Id}/0", $"/dms-uploads/video/{video.Id}/1", $"/dms-uploads/video/{video.Id}/2"], parts.Select(p => p.Path));
        Assert.Equal([1000, 1000, 500], parts.Select(p => p.BodyBytes.Length));
        Assert.Equal(bytes, video.Bytes);

        var finalize = _li.Requests("POST", "/rest/videos")[1];
        Assert.Equal("?action=finalizeUpload", finalize.Query);
        LinkedInTestbed.AssertJson($$$"""
            {"finalizeUploadRequest":{"video":"{{{video.Urn}}}","uploadToken":"{{{video.UploadToken}}}",
             "uploadedPartIds":["/AQHpart0-{{{video.Id}}}","/AQHpart1-{{{video.Id}}}","/AQHpart2-{{{video.Id}}}"]}}
            """, finalize.Body);
        Assert.Equal(3, _li.Requests("GET", "/rest/videos/").Count); // PROCESSING, PROCESSING, AVAILABLE

        var create = Assert.Single(_li.Requests("POST", "/rest/posts"));
        LinkedInTestbed.AssertJson($$$"""{"media":{"id":"{{{video.Urn}}}","title":"Launch video"}}""", System.Text.Json.Nodes.JsonNode.Parse(create.Body)!["content"]!.ToJsonString());
        Assert.StartsWith("urn:li:ugcPost:", outcome.ExternalId);
    }

    [Fact]
    public async Task A_video_LinkedIn_cannot_process_is_invalid_content_with_the_reason_and_nothing_is_posted()
    {
        _li.Api.VideoFailure = "Video duration is shorter than the minimum 3 seconds";
        var content = new PostContent("Watch", [new MediaItem(_li.Api.ServeFile("v.mp4", LinkedInTestbed.Bytes(300, 9), "video/mp4"), MediaType.Video)]);

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("shorter than the minimum 3 seconds", outcome.Message);
        Assert.Empty(_li.Requests("POST", "/rest/posts"));
    }

    [Fact]
    public async Task The_configured_api_version_is_sent_on_every_rest_call()
    {
        await using var li = await LinkedInTestbed.StartAsync(apiVersion: "202604");
        li.Api.Version = "202604";

        var outcome = await li.Connector.PublishAsync(li.Publish(new PostContent("versioned", [])), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        LinkedInTestbed.AssertRestHeaders(Assert.Single(li.Requests("POST", "/rest/posts")), "202604");
    }

    [Fact]
    public async Task A_members_post_metrics_come_from_memberCreatorPostAnalytics_one_query_type_at_a_time()
    {
        var post = _li.Api.AddPost(FakeLinkedInApi.MemberUrn, "measured", DateTimeOffset.UtcNow.AddDays(-1));
        (post.Impressions, post.Reactions, post.Comments, post.Reshares) = (1500, 40, 6, 3);

        var result = await _li.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_li.Member, post.Urn, post.CreatedAt, PostContent.Empty), CancellationToken.None);

        Assert.Null(result.Error);
        var m = result.Value!;
        Assert.Equal((40L, 6L, 3L, (long?)1500, (long?)null, (long?)null), (m.Likes, m.Comments, m.Shares, m.Impressions, m.Views, m.Saves));
        var reads = _li.Requests("GET", "/rest/memberCreatorPostAnalytics");
        var entity = "(share:" + Uri.EscapeDataString(post.Urn) + ")";
        Assert.Equal(
            new[] { "IMPRESSION", "REACTION", "COMMENT", "RESHARE" }.Select(q => $"?q=entity&entity={entity}&queryType={q}&aggregation=TOTAL"),
            reads.Select(r => r.Query));
        Assert.All(reads, r => LinkedInTestbed.AssertRestHeaders(r));
    }

    [Fact]
    public async Task An_organizations_post_metrics_come_from_its_share_statistics()
    {
        var post = _li.Api.AddPost(FakeLinkedInApi.OrganizationUrn, "company news", DateTimeOffset.UtcNow.AddDays(-2));
        (post.Impressions, post.Reactions, post.Comments, post.Reshares) = (9000, 120, 14, 9);

        var result = await _li.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_li.Organization, post.Urn, post.CreatedAt, PostContent.Empty), CancellationToken.None);

        var m = result.Value!;
        Assert.Equal((120L, 14L, 9L, (long?)9000), (m.Likes, m.Comments, m.Shares, m.Impressions));
        var read = Assert.Single(_li.Requests("GET", "/rest/organizationalEntityShareStatistics"));
        Assert.Equal($"?q=organizationalEntity&organizationalEntity={Uri.EscapeDataString(FakeLinkedInApi.OrganizationUrn)}&shares=List({Uri.EscapeDataString(post.Urn)})", read.Query);
    }

    [Fact]
    public async Task A_members_followers_come_from_memberFollowersCount()
    {
        var result = await _li.Connector.ReadAccountMetricsAsync(_li.Member, CancellationToken.None);

        Assert.Equal(961, result.Value!.Followers);
        var read = Assert.Single(_li.Requests("GET", "/rest/memberFollowersCount"));
        Assert.Equal("?q=me", read.Query);
        LinkedInTestbed.AssertRestHeaders(read);
    }

    [Fact]
    public async Task An_organizations_followers_come_from_its_network_size()
    {
        var result = await _li.Connector.ReadAccountMetricsAsync(_li.Organization, CancellationToken.None);

        Assert.Equal(42_000, result.Value!.Followers);
        var read = Assert.Single(_li.Requests("GET", "/rest/networkSizes/"));
        Assert.Equal("?edgeType=COMPANY_FOLLOWED_BY_MEMBER", read.Query);
    }

    [Fact]
    public async Task Without_the_community_management_analytics_scopes_member_metrics_are_reported_not_available()
    {
        _li.Api.MemberAnalyticsGranted = false;
        var post = _li.Api.AddPost(FakeLinkedInApi.MemberUrn, "measured", DateTimeOffset.UtcNow.AddDays(-1));

        var postMetrics = await Assert.ThrowsAsync<NotSupportedException>(() =>
            _li.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_li.Member, post.Urn, post.CreatedAt, PostContent.Empty), CancellationToken.None));
        var followers = await Assert.ThrowsAsync<NotSupportedException>(() => _li.Connector.ReadAccountMetricsAsync(_li.Member, CancellationToken.None));

        Assert.Contains("r_member_postAnalytics", postMetrics.Message);
        Assert.Contains("r_member_profileAnalytics", followers.Message);
        Assert.Single(_li.Requests("GET", "/rest/memberCreatorPostAnalytics")); // one refused read, not one per query type
    }

    [Fact]
    public async Task Without_rw_organization_admin_organization_metrics_are_reported_not_available()
    {
        _li.Api.OrganizationAnalyticsGranted = false;
        var post = _li.Api.AddPost(FakeLinkedInApi.OrganizationUrn, "company news", DateTimeOffset.UtcNow.AddDays(-1));

        var postMetrics = await Assert.ThrowsAsync<NotSupportedException>(() =>
            _li.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_li.Organization, post.Urn, post.CreatedAt, PostContent.Empty), CancellationToken.None));
        var followers = await Assert.ThrowsAsync<NotSupportedException>(() => _li.Connector.ReadAccountMetricsAsync(_li.Organization, CancellationToken.None));

        Assert.Contains("rw_organization_admin", postMetrics.Message);
        Assert.Contains("rw_organization_admin", followers.Message);
    }

    [Fact]
    public async Task Metrics_the_token_may_not_read_are_a_classified_failure()
    {
        var post = _li.Api.AddPost(FakeLinkedInApi.OrganizationUrn, "not the member's", DateTimeOffset.UtcNow);

        var result = await _li.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_li.Member, post.Urn, post.CreatedAt, PostContent.Empty), CancellationToken.None);

        Assert.Null(result.Value);
        Assert.Equal(ErrorCategory.Auth, result.Error!.Category);
        Assert.Equal(403, result.Error.HttpStatus);
    }

    [Fact]
    public async Task A_first_comment_is_one_POST_to_socialActions_comments_as_the_author_and_reconciliation_finds_it_by_its_text()
    {
        var post = await _li.Connector.PublishAsync(_li.Publish(new PostContent("Hiring engineers", [])), CancellationToken.None);
        var comment = new FollowUp(1, FollowUpKind.Comment, "Apply at jobs.example", []);

        var outcome = await _li.Connector.PublishFollowUpAsync(new FollowUpRequest(_li.Member, comment, post.ExternalId!, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var sent = Assert.Single(_li.Api.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal));
        Assert.Equal($"/rest/socialActions/{post.ExternalId}/comments", sent.Path); // sent URL-encoded: the fake refuses a raw URN
        Assert.Equal("Bearer access-token-1", sent.Header("Authorization"));
        Assert.Equal(LinkedInConnector.DefaultApiVersion, sent.Header("LinkedIn-Version"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$$"""{"actor":"{{{FakeLinkedInApi.MemberUrn}}}","object":"{{{post.ExternalId}}}","message":{"text":"Apply at jobs.example"}}"""),
            JsonNode.Parse(sent.Body)), sent.Body);
        var stored = Assert.Single(_li.Api.Comments);
        Assert.Equal(stored.Urn, outcome.ExternalId);

        var found = await _li.Connector.FindFollowUpAsync(new FollowUpRequest(_li.Member, comment, post.ExternalId!, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(ReconcileState.Found, found.State);
        var missing = await _li.Connector.FindFollowUpAsync(new FollowUpRequest(_li.Member, comment with { Text = "Never sent" }, post.ExternalId!, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(ReconcileState.NotFound, missing.State);
    }
}
