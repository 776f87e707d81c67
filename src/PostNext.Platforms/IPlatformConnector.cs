using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms;

/// <summary>
/// One platform behind one interface: connect (OAuth), keep the token alive, publish, reconcile, read metrics.
/// Every connector has this shape, so reading one teaches all.
/// </summary>
public interface IPlatformConnector
{
    /// <summary>The platform id this connector serves (see <c>PlatformIds</c>).</summary>
    string Platform { get; }

    /// <summary>The OAuth authorization URL a person opens to connect an account (PKCE challenge included where the platform supports it).</summary>
    Uri BuildAuthorizeUrl(AuthorizeRequest request);

    /// <summary>Exchanges an authorization code for tokens and reads who the account is.</summary>
    Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken);

    /// <summary>
    /// Exchanges an authorization code and lists every account the consent lets this app publish as: one for most
    /// platforms; each Facebook Page the person may create content on; the LinkedIn member and each organization they
    /// administer (when the organization scopes were granted). With more than one, the person chooses.
    /// </summary>
    Task<IReadOnlyList<ConnectedAccount>> CompleteConnectChoicesAsync(CodeExchange exchange, CancellationToken cancellationToken);

    /// <summary>Refreshes an access token. A platform that sends no new refresh token leaves <see cref="TokenSet.RefreshToken"/> null: keep the old one.</summary>
    Task<TokenRefresh> RefreshTokenAsync(TokenSet current, CancellationToken cancellationToken);

    /// <summary>Revokes the token at the platform (on disconnect); best effort.</summary>
    Task RevokeAsync(TokenSet current, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes once. Never retries a create on its own: an outcome it cannot know is reported as
    /// <see cref="ErrorCategory.UnknownOutcome"/> so the caller reconciles before anything is re-sent.
    /// Intermediate ids (a container, an upload session) are saved through <see cref="PublishRequest.Journal"/> before
    /// the irreversible step, so reconciliation can look them up.
    /// </summary>
    Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the platform whether an earlier attempt of this publication took effect (using its journal).</summary>
    Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes one follow-up of a published post (a thread's reply to <see cref="FollowUpRequest.ParentId"/>, or the
    /// first comment on it), once; like <see cref="PublishAsync"/> it reports an outcome it cannot know as
    /// <see cref="ErrorCategory.UnknownOutcome"/>. A platform without follow-ups refuses them as invalid content.
    /// </summary>
    Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the platform whether a follow-up whose outcome is unknown is there (a reply or comment under its parent, sent after <see cref="FollowUpRequest.SentAt"/>).</summary>
    Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken);

    /// <summary>Reads a published post's engagement.</summary>
    Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the account's audience (followers).</summary>
    Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken);

    /// <summary>What the account's owner may choose for a post right now (TikTok's creator_info); null when the platform has nothing to check.</summary>
    Task<PublishingChoices?> ReadPublishingChoicesAsync(PublishingIdentity account, CancellationToken cancellationToken) => Task.FromResult<PublishingChoices?>(null);
}

/// <summary>
/// One attempt to publish: the stable publication key, this attempt's id, who publishes and what (the content carries
/// the choices made for this target on its platform, <see cref="Options"/>), the checkpoints earlier attempts saved,
/// and the journal to save new ones.
/// </summary>
public sealed record PublishRequest(
    string PublicationKey,
    string AttemptId,
    PublishingIdentity Account,
    PostContent Content,
    IReadOnlyDictionary<string, string>? Checkpoints = null,
    IPublishJournal? Journal = null)
{
    public string? Checkpoint(string key) => Checkpoints?.GetValueOrDefault(key);

    /// <summary>Where the connector collects the rate limits this attempt's responses report (stamped on its outcome).</summary>
    public RateLimitCollector Limits { get; } = new();

    /// <summary>The choices made for this target on its platform (none when the post gave none).</summary>
    public PostOptions Options => Content.Options ?? NoOptions;

    private static readonly PostOptions NoOptions = new();

    public Task SaveCheckpointAsync(string key, string value) => Journal?.SaveAsync(key, value) ?? Task.CompletedTask;
}

/// <summary>
/// One follow-up of a published post: the part, the id it answers (the previous part of a thread, or the post a comment
/// goes under), and when it was sent (for reconciliation: the platform is searched from then).
/// </summary>
public sealed record FollowUpRequest(PublishingIdentity Account, FollowUp Part, string ParentId, DateTimeOffset SentAt)
{
    /// <summary>Where the connector collects the rate limits this follow-up's responses report (stamped on its outcome).</summary>
    public RateLimitCollector Limits { get; } = new();
}

/// <summary>Durably records a connector's intermediate ids (container id, upload session URL…) for this publication.</summary>
public interface IPublishJournal
{
    Task SaveAsync(string key, string value);
}

public enum ReconcileState
{
    /// <summary>The platform has the post: the earlier attempt took effect.</summary>
    Found,

    /// <summary>The platform certainly does not have it: sending again is safe.</summary>
    NotFound,

    /// <summary>The platform could not tell (yet).</summary>
    Unknown,

    /// <summary>The post and some of its follow-ups are there and none is in doubt: resume at the first one not confirmed.</summary>
    Partial,
}

public sealed record ReconcileResult(ReconcileState State, PublishOutcome? Publication = null, string? Detail = null)
{
    public static ReconcileResult Found(PublishOutcome publication) => new(ReconcileState.Found, publication);

    public static readonly ReconcileResult NotFound = new(ReconcileState.NotFound);

    public static ReconcileResult Unknown(string detail) => new(ReconcileState.Unknown, null, detail);

    public static ReconcileResult Partial(string detail) => new(ReconcileState.Partial, null, detail);
}

/// <summary>A published post to read metrics for.</summary>
public sealed record PostMetricsRequest(PublishingIdentity Account, string ExternalId, DateTimeOffset PublishedAt, PostContent Content);

/// <summary>Metrics, or the classified reason they could not be read.</summary>
public sealed record MetricsResult<T>(T? Value, PlatformError? Error)
    where T : class
{
    public static MetricsResult<T> Ok(T value) => new(value, null);

    public static MetricsResult<T> Failed(PlatformError error) => new(null, error);
}

/// <summary>The registered connectors, by platform id.</summary>
public sealed class PlatformConnectors(IEnumerable<IPlatformConnector> connectors)
{
    private readonly Dictionary<string, IPlatformConnector> _byPlatform = connectors.ToDictionary(c => c.Platform, StringComparer.Ordinal);

    public IPlatformConnector? Find(string platform) => _byPlatform.GetValueOrDefault(platform);

    public IReadOnlyCollection<string> Platforms => _byPlatform.Keys;
}
