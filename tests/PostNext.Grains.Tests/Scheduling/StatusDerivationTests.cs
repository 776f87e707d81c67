using PostNext.Abstractions.Posts;
using static PostNext.Abstractions.Posts.PublicationStatus;

namespace PostNext.Grains.Tests.Scheduling;

public sealed class StatusDerivationTests
{
    [Theory]
    [InlineData(PostStatus.Scheduled, Scheduled, Scheduled)]
    [InlineData(PostStatus.Scheduled, Scheduled, Deferred)]
    [InlineData(PostStatus.Publishing, Publishing, Scheduled)]
    [InlineData(PostStatus.Publishing, Published, Scheduled)]
    [InlineData(PostStatus.Publishing, Unconfirmed, Published)]
    [InlineData(PostStatus.Published, Published, Published)]
    [InlineData(PostStatus.PartiallyPublished, Published, Failed)]
    [InlineData(PostStatus.PartiallyPublished, Published, Canceled)]
    [InlineData(PostStatus.Failed, Failed, Failed)]
    [InlineData(PostStatus.Failed, Failed, Canceled)]
    [InlineData(PostStatus.Canceled, Canceled, Canceled)]
    public void A_posts_status_follows_its_targets(PostStatus expected, PublicationStatus first, PublicationStatus second) =>
        Assert.Equal(expected, PublicationStatuses.Derive([first, second]));
}
