using System.Globalization;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.X;
using PostNext.Platforms.X;

namespace PostNext.Grains.Tests.Posts;

/// <summary>What the thread tests share: the silos' settings that point the X connector at a <see cref="FakeXApi"/>, an X account and a thread post.</summary>
internal static class ThreadCluster
{
    /// <summary>The X connector reaches <paramref name="x"/>; <paramref name="extra"/> adds scheduling settings.</summary>
    public static Dictionary<string, string?> Settings(FakeXApi x, params (string Key, string Value)[] extra)
    {
        var settings = ConnectorHarness.HostArguments(PlatformIds.X, XConnector.Defaults, x.Server)
            .Select(a => a.TrimStart('-').Split('=', 2))
            .ToDictionary(kv => kv[0], kv => (string?)kv[1]);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A workspace and an X account connected with the fake's token.</summary>
    public static async Task<(string Workspace, string Account)> ConnectXAsync(SchedulingCluster cluster)
    {
        var ws = Ids.New(Ids.Workspace);
        await cluster.Client.GetGrain<IWorkspaceGrain>(ws).CreateAsync("threads", "UTC");
        var account = Ids.New(Ids.Account);
        await cluster.Client.GetGrain<IAccountGrain>(account).ConnectAsync(new ConnectAccount(
            ws, PlatformIds.X, FakeXApi.Username, FakeXApi.DisplayName, FakeXApi.UserId, null,
            new AccountTokens(new Secret("access-token-1"), new Secret("refresh-token-1"), DateTimeOffset.UtcNow.AddHours(2), ["tweet.write"])));
        await cluster.Client.GetGrain<IWorkspaceGrain>(ws).AddAccountAsync(account);
        return (ws, account);
    }

    /// <summary>A thread to the X account, due now: the post, then each reply.</summary>
    public static async Task<string> PostThreadAsync(SchedulingCluster cluster, string workspace, string account, string text, params string[] replies)
    {
        var id = Ids.New(Ids.Post);
        var options = new PostOptions(X: new XPostOptions([.. replies.Select(r => new ThreadPart(r))]));
        var result = await cluster.Client.GetGrain<IPostGrain>(id).CreateAsync(new CreatePost(
            workspace, new PostContent(text, []), [new TargetSpec(account, PlatformIds.X, null, DateTimeOffset.UtcNow, options)],
            false, "UTC", "now", Guid.NewGuid().ToString("N")));
        Assert.Equal(PostOutcome.Created, result.Outcome);
        return id;
    }

    /// <summary>The POSTs to /2/tweets the fake received, in order.</summary>
    /// <summary>The whole chain is over (the post counts as published as soon as part 0 is out, while the rest may still come).</summary>
    public static bool ChainDone(PostView post) => post.Targets[0].Publication?.Status.IsFinal() == true;

    public static int Creates(FakeXApi x) => x.Server.Requests.Count(r => r.Method == "POST" && r.Path == "/2/tweets");

    /// <summary>Every part reached X once, in order, each reply answering the part before it; the publication shows each part's id.</summary>
    public static void AssertThread(FakeXApi x, PostView post, params string[] texts)
    {
        var tweets = x.Tweets.ToList();
        Assert.Equal(texts, tweets.Select(t => t.Text));
        Assert.Null(tweets[0].InReplyTo);
        for (var i = 1; i < tweets.Count; i++)
        {
            Assert.Equal(tweets[i - 1].Id, tweets[i].InReplyTo);
        }

        var publication = Assert.Single(post.Targets).Publication!;
        Assert.Equal(PublicationStatus.Published, publication.Status);
        Assert.Equal(tweets[0].Id, publication.ExternalId);
        Assert.Equal($"https://x.com/{FakeXApi.Username}/status/{tweets[0].Id}", publication.Permalink);
        var parts = publication.Parts!;
        Assert.Equal(tweets.Select(t => t.Id), parts.Select(p => p.ExternalId));
        Assert.All(parts, p => Assert.Equal("published", p.Status));
        Assert.Equal(["post", .. Enumerable.Repeat("reply", texts.Length - 1)], parts.Select(p => p.Kind));
        Assert.Equal(Enumerable.Range(0, texts.Length), parts.Select(p => p.Index));
    }

    public static async Task WaitForAsync(Func<bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Waited {timeout.TotalSeconds} s for {what}."));
            }

            await Task.Delay(100);
        }
    }
}
