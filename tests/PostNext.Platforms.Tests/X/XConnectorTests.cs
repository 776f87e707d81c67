using PostNext.Platforms.X;

namespace PostNext.Platforms.Tests.X;

/// <summary>The X connector publishes (text, images, video) and reads metrics with exactly the requests X documents.</summary>
public sealed class XConnectorTests : IAsyncLifetime
{
    private XTestbed _x = null!;

    public async Task InitializeAsync() => _x = await XTestbed.StartAsync(chunkSize: 1024);

    public async Task DisposeAsync() => await _x.DisposeAsync();

    [Fact]
    public async Task A_text_post_is_one_POST_to_2_tweets_with_the_bearer_and_a_JSON_body()
    {
        var outcome = await _x.Connector.PublishAsync(_x.Publish(new PostContent("Hello from PostNext", [])), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var create = Assert.Single(_x.Requests("POST", "/2/tweets"));
        Assert.Equal("Bearer access-token-1", create.Header("Authorization"));
        Assert.StartsWith("application/json", create.Header("Content-Type"));
        XTestbed.AssertJson("""{"text":"Hello from PostNext"}""", create.Body);
        var tweet = Assert.Single(_x.Api.Tweets);
        Assert.Equal(tweet.Id, outcome.ExternalId);
        Assert.Equal($"https://x.com/{FakeXApi.Username}/status/{tweet.Id}", outcome.Permalink);
        Assert.True(_x.Journal.Saved.ContainsKey(XConnector.CreateSentCheckpoint));
        Assert.Empty(_x.Requests("POST", "/2/media"));
    }

    [Fact]
    public async Task An_image_post_uploads_each_image_in_ordered_segments_then_attaches_the_media_ids()
    {
        var first = Bytes(2500, 1);
        var second = Bytes(700, 2);
        var content = new PostContent("Two pictures", [
            new MediaItem(_x.Api.ServeFile("one.png", first, "image/png"), MediaType.Image),
            new MediaItem(_x.Api.ServeFile("two.jpg", second, "image/jpeg"), MediaType.Image),
        ]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var inits = _x.Requests("POST", "/2/media/upload/initialize");
        Assert.Equal(2, inits.Count);
        XTestbed.AssertJson("""{"media_type":"image/png","total_bytes":2500,"media_category":"tweet_image"}""", inits[0].Body);
        XTestbed.AssertJson("""{"media_type":"image/jpeg","total_bytes":700,"media_category":"tweet_image"}""", inits[1].Body);
        Assert.All(inits, r => Assert.Equal("Bearer access-token-1", r.Header("Authorization")));

        var uploads = _x.Api.Uploads.Values.OrderBy(u => u.Id).ToList();
        var appends = _x.Requests("POST", $"/2/media/upload/{uploads[0].Id}/append");
        Assert.Equal(3, appends.Count); // 1024 + 1024 + 452 bytes
        Assert.All(appends, r => Assert.StartsWith("multipart/form-data", r.Header("Content-Type")));
        Assert.Equal(first, uploads[0].Segments.SelectMany(s => s).ToArray());
        Assert.Equal(second, uploads[1].Segments.SelectMany(s => s).ToArray());
        Assert.Single(_x.Requests("POST", $"/2/media/upload/{uploads[0].Id}/finalize"));
        Assert.Empty(_x.Requests("GET", "/2/media/upload")); // images need no processing

        var create = Assert.Single(_x.Requests("POST", "/2/tweets"));
        XTestbed.AssertJson($$$"""{"text":"Two pictures","media":{"media_ids":["{{{uploads[0].Id}}}","{{{uploads[1].Id}}}"]}}""", create.Body);
        Assert.Equal($"{uploads[0].Id},{uploads[1].Id}", _x.Journal.Saved[XConnector.MediaIdsCheckpoint]);
        Assert.Equal([uploads[0].MediaKey, uploads[1].MediaKey], _x.Api.Tweets.Single().MediaKeys);
    }

    [Fact]
    public async Task A_video_post_polls_the_processing_status_until_it_succeeded_before_creating_the_post()
    {
        _x.Api.CheckAfterSecs = 0;
        _x.Api.ProcessingPolls = 2;
        var video = Bytes(3000, 3);
        var content = new PostContent("", [new MediaItem(_x.Api.ServeFile("clip.mp4", video, "video/mp4"), MediaType.Video)]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var upload = Assert.Single(_x.Api.Uploads.Values);
        XTestbed.AssertJson("""{"media_type":"video/mp4","total_bytes":3000,"media_category":"tweet_video"}""", Assert.Single(_x.Requests("POST", "/2/media/upload/initialize")).Body);
        var polls = _x.Requests("GET", "/2/media/upload");
        Assert.Equal(3, polls.Count); // in_progress, in_progress, succeeded
        Assert.All(polls, p => Assert.Equal($"?command=STATUS&media_id={upload.Id}", p.Query));
        var create = Assert.Single(_x.Requests("POST", "/2/tweets"));
        XTestbed.AssertJson($$$"""{"media":{"media_ids":["{{{upload.Id}}}"]}}""", create.Body);
        Assert.True(_x.Api.Server.Requests.ToList().FindIndex(r => r.Path == "/2/tweets") > _x.Api.Server.Requests.ToList().FindLastIndex(r => r.Path == "/2/media/upload"));
    }

    [Fact]
    public async Task A_video_X_cannot_process_is_invalid_content_with_Xs_message_and_nothing_is_posted()
    {
        _x.Api.CheckAfterSecs = 0;
        _x.Api.ProcessingError = "Unsupported video format";
        var content = new PostContent("clip", [new MediaItem(_x.Api.ServeFile("clip.mp4", Bytes(500, 4), "video/mp4"), MediaType.Video)]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("Unsupported video format", outcome.Message);
        Assert.Empty(_x.Requests("POST", "/2/tweets"));
    }

    [Fact]
    public async Task Post_metrics_read_public_metrics_and_the_videos_view_count()
    {
        var tweet = _x.Api.AddTweet("measured", DateTimeOffset.UtcNow, "7_555");
        (tweet.Likes, tweet.Replies, tweet.Retweets, tweet.Quotes, tweet.Bookmarks, tweet.Impressions, tweet.VideoViews) = (40, 5, 7, 3, 9, 1234, 800);

        var result = await _x.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_x.Account, tweet.Id, DateTimeOffset.UtcNow, PostContent.Empty), CancellationToken.None);

        Assert.Null(result.Error);
        var m = result.Value!;
        Assert.Equal((40, 5, 10, 1234L, 800L, 9L), (m.Likes, m.Comments, m.Shares, m.Impressions, m.Views, m.Saves));
        var read = Assert.Single(_x.Requests("GET", "/2/tweets/"));
        Assert.Equal($"/2/tweets/{tweet.Id}", read.Path);
        Assert.Equal("?tweet.fields=public_metrics&expansions=attachments.media_keys&media.fields=public_metrics", read.Query);
        Assert.Equal("Bearer access-token-1", read.Header("Authorization"));
    }

    [Fact]
    public async Task Metrics_of_a_deleted_post_are_a_classified_failure_not_zeros()
    {
        var result = await _x.Connector.ReadPostMetricsAsync(new PostMetricsRequest(_x.Account, "404404", DateTimeOffset.UtcNow, PostContent.Empty), CancellationToken.None);

        Assert.Null(result.Value);
        Assert.Equal(ErrorCategory.InvalidContent, result.Error!.Category);
        Assert.Contains("Could not find tweet with id: [404404]", result.Error.Message);
    }

    [Fact]
    public async Task Account_metrics_read_the_users_public_metrics()
    {
        var result = await _x.Connector.ReadAccountMetricsAsync(_x.Account, CancellationToken.None);

        Assert.Equal((1200L, 150L, 3400L), (result.Value!.Followers, result.Value.Following!.Value, result.Value.Posts!.Value));
        var read = Assert.Single(_x.Requests("GET", "/2/users/me"));
        Assert.Equal("?user.fields=public_metrics", read.Query);
    }

    internal static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
