using Microsoft.Extensions.DependencyInjection;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts.Publishing;
using PostNext.Platforms.Tests.X;
using static PostNext.Grains.Tests.Posts.ThreadCluster;

namespace PostNext.Grains.Tests.Posts;

/// <summary>On the PostgreSQL providers: the silo publishing a thread is killed between its parts, and another silo finishes it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ThreadSiloKillTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_thread_whose_silo_is_killed_between_parts_resumes_on_another_silo_and_each_part_reaches_X_exactly_once()
    {
        await using var x = await FakeXApi.StartAsync();
        x.HangAtCreate = 2; // part 2 is created at X, and the silo dies waiting for the answer
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"), silos: 2, Settings(x,
            ("PostNext:Scheduling:PublishTimeout", "00:00:20"), ("PostNext:Scheduling:LeaseMargin", "00:00:02")));
        var (ws, account) = await ConnectXAsync(cluster);

        var postId = await PostThreadAsync(cluster, ws, account, "1/3 Survives", "2/3 a silo dies here", "3/3 another silo ends it");
        await WaitForAsync(() => x.Tweets.Count == 2, TimeSpan.FromSeconds(30), "part 2 to reach X");
        var key = PublicationKey.For(postId, account);
        var publishing = cluster.Cluster.Silos.Single(s => s.ServiceProvider.GetRequiredService<AttemptRunner>().IsRunning(key));
        await cluster.Cluster.KillSiloAsync(publishing);

        var post = await cluster.WaitForPostAsync(postId, ChainDone, TimeSpan.FromSeconds(90));

        AssertThread(x, post, "1/3 Survives", "2/3 a silo dies here", "3/3 another silo ends it");
        Assert.Equal(3, Creates(x));
        Assert.True(post.Targets[0].Publication!.Attempts >= 2);
    }
}
