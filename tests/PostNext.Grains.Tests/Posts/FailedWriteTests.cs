using Orleans.Core.Internal;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>A state write that fails never leaves the publication answering from memory what storage does not hold.</summary>
public sealed class FailedWriteTests : IAsyncLifetime
{
    private readonly StorageFaults _faults = new();
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, faults: _faults);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_cancel_whose_write_failed_and_is_retried_is_stored_and_the_post_never_publishes()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var due = DateTimeOffset.UtcNow.AddSeconds(6);
        var postId = await _cluster.SchedulePostAsync(ws, accounts, due);
        var key = PublicationKey.For(postId, accounts[0]);
        var publication = _cluster.Client.GetGrain<IPublicationGrain>(key);

        _faults.FailNextWrites("publication", postId);
        await Assert.ThrowsAnyAsync<Exception>(publication.CancelAsync);

        var retried = await publication.CancelAsync();
        Assert.True(retried.Applied);
        Assert.Equal(PublicationStatus.Canceled, retried.Publication!.Status);

        // What storage holds is what a new activation (a restart, another silo) sees.
        await publication.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(PublicationStatus.Canceled, (await publication.GetAsync())!.Status);

        var waitUntil = due + TimeSpan.FromSeconds(8); // past the time and a further reminder period
        while (DateTimeOffset.UtcNow < waitUntil)
        {
            Assert.Empty(await _cluster.Sandbox.FindAsync(accounts[0], key));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(PublicationStatus.Canceled, (await publication.GetAsync())!.Status);
        Assert.Equal(1, _faults.Injected);
    }
}
