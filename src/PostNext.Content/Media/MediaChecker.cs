using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Content.Rules;

namespace PostNext.Content.Media;

/// <summary>
/// Checks a post's media files against each target platform's file rules: fetches each file the rules look at once
/// (a few at a time), reads its headers and applies <see cref="MediaRules"/>. Used when a post is accepted and again
/// right before the platform call, since the file behind a URL can change in between.
/// </summary>
public sealed class MediaChecker(MediaInspector inspector, PlatformLimitsCatalog catalog)
{
    private const int Parallel = 4;

    /// <summary>The files of every (platform, content) pair that some rule looks at, inspected once each.</summary>
    public async Task<IReadOnlyDictionary<MediaItem, MediaInspection>> InspectAsync(
        IEnumerable<(string PlatformId, PostContent Content)> targets, CancellationToken cancellationToken)
    {
        var items = targets
            .SelectMany(t => t.Content.Media.Concat(FollowUps.Of(t.PlatformId, t.Content).SelectMany(part => part.Media))
                .Where(item => MediaRules.Inspects(item, Limits(t.PlatformId, t.Content))))
            .Distinct()
            .ToList();
        var found = new Dictionary<MediaItem, MediaInspection>();
        foreach (var batch in items.Chunk(Parallel))
        {
            var inspected = await Task.WhenAll(batch.Select(item => inspector.InspectAsync(item, cancellationToken)));
            for (var i = 0; i < batch.Length; i++)
            {
                found[batch[i]] = inspected[i];
            }
        }

        return found;
    }

    /// <summary>The violations of one target (its thread parts' files under <c>options.x.thread[i]</c>), given the inspections from <see cref="InspectAsync"/>.</summary>
    public IReadOnlyList<ContentViolation> Check(string platformId, PostContent content, IReadOnlyDictionary<MediaItem, MediaInspection> inspections) =>
    [
        .. MediaRules.Check(platformId, content.Media, inspections, Limits(platformId, content)),
        .. FollowUps.Of(platformId, content).Where(part => part.Media.Count > 0).SelectMany(part =>
            MediaRules.Check(platformId, part.Media, inspections, Limits(platformId, content))
                .Select(v => v with { Field = $"options.x.thread[{part.Index - 1}].{v.Field}" })),
    ];

    /// <summary>Inspects and checks the files of one target.</summary>
    public async Task<(IReadOnlyList<ContentViolation> Violations, IReadOnlyDictionary<MediaItem, MediaInspection> Inspections)> CheckAsync(
        string platformId, PostContent content, CancellationToken cancellationToken)
    {
        var inspections = await InspectAsync([(platformId, content)], cancellationToken);
        return (Check(platformId, content, inspections), inspections);
    }

    /// <summary>The file rules of the placement the target's options choose (an Instagram reel or story; a feed post otherwise).</summary>
    private MediaLimits Limits(string platformId, PostContent content) => catalog.For(platformId).MediaFor(Placement(platformId, content.Options));

    /// <summary>Where the post goes on its platform, as its options say: <see cref="MediaPlacements"/>, or null for the feed.</summary>
    public static string? Placement(string platformId, PostOptions? options) => platformId switch
    {
        PlatformIds.Instagram => options?.Instagram?.Type,
        PlatformIds.Facebook => options?.Facebook?.Type,
        _ => null,
    };
}
