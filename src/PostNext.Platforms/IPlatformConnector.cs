using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;

namespace PostNext.Platforms;

/// <summary>Publishes to one platform. Every connector has this shape, so reading one teaches all.</summary>
public interface IPlatformConnector
{
    /// <summary>The platform id this connector serves (see <c>PlatformIds</c>).</summary>
    string Platform { get; }

    /// <summary>
    /// Publishes once. Never retries a create on its own: an outcome it cannot know is reported as
    /// <see cref="ErrorCategory.UnknownOutcome"/> so the caller reconciles before anything is re-sent.
    /// </summary>
    Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the platform whether an earlier attempt of this publication took effect.</summary>
    Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken);
}

/// <summary>One attempt to publish: the stable publication key, this attempt's id, who publishes and what.</summary>
public sealed record PublishRequest(string PublicationKey, string AttemptId, PublishingIdentity Account, PostContent Content);

public enum ReconcileState
{
    /// <summary>The platform has the post: the earlier attempt took effect.</summary>
    Found,

    /// <summary>The platform certainly does not have it: sending again is safe.</summary>
    NotFound,

    /// <summary>The platform could not tell (yet).</summary>
    Unknown,
}

public sealed record ReconcileResult(ReconcileState State, PublishOutcome? Publication = null, string? Detail = null)
{
    public static ReconcileResult Found(PublishOutcome publication) => new(ReconcileState.Found, publication);

    public static readonly ReconcileResult NotFound = new(ReconcileState.NotFound);

    public static ReconcileResult Unknown(string detail) => new(ReconcileState.Unknown, null, detail);
}

/// <summary>The registered connectors, by platform id.</summary>
public sealed class PlatformConnectors(IEnumerable<IPlatformConnector> connectors)
{
    private readonly Dictionary<string, IPlatformConnector> _byPlatform = connectors.ToDictionary(c => c.Platform, StringComparer.Ordinal);

    public IPlatformConnector? Find(string platform) => _byPlatform.GetValueOrDefault(platform);
}
