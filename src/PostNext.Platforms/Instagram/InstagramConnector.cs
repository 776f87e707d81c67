using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Content.Options;
using PostNext.Platforms.Common;
using PostNext.Platforms.Meta;

namespace PostNext.Platforms.Instagram;

/// <summary>
/// An Instagram professional account through the Instagram API with Instagram Login (platforms.md §4, graph.instagram.com;
/// no Facebook Page needed). Connecting trades the code for a short-lived token at api.instagram.com, then for a 60-day
/// token (<c>ig_exchange_token</c>), refreshed with <c>ig_refresh_token</c>; the account's id is the IG user id. Publishing
/// is container → status → <c>media_publish</c>: the container id is checkpointed before the publish, a FINISHED container
/// is re-used rather than re-created, and a PUBLISHED one is never published again.
/// </summary>
public sealed partial class InstagramConnector(IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time)
    : MetaGraphConnector(httpClients, options, time)
{
    /// <summary>Checkpoint: the container (single item or carousel) that media_publish is sent for.</summary>
    public const string ContainerCheckpoint = "instagram.container";

    /// <summary>Checkpoint: when media_publish was sent (unix seconds), to find the media it created.</summary>
    public const string SentAtCheckpoint = "instagram.sent-at";

    /// <summary>The life of a long-lived token; it may be refreshed once it is 24 hours old.</summary>
    public static readonly TimeSpan LongLivedTokenLifetime = TimeSpan.FromDays(60);

    private const int MaxCarouselItems = 10;

    private const string PublishScope = "instagram_business_content_publish";

    /// <summary>The real Instagram Login endpoints; configuration overrides any of them.</summary>
    public static PlatformOptions Defaults => new()
    {
        ApiBaseUrl = new Uri("https://graph.instagram.com/"),
        AuthorizeUrl = new Uri("https://www.instagram.com/oauth/authorize"),
        TokenUrl = new Uri("https://api.instagram.com/oauth/access_token"),
        Scopes = ["instagram_business_basic", "instagram_business_content_publish", "instagram_business_manage_insights"],
        ApiVersion = DefaultApiVersion,
    };

    public override string Platform => PlatformIds.Instagram;

    public override async Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        var o = RequireConfigured();
        var shortLived = await CallAsync(new HttpRequestMessage(HttpMethod.Post, o.TokenUrl)
        {
            Content = ClientForm(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["redirect_uri"] = exchange.RedirectUri.ToString(),
                ["code"] = exchange.Code,
            }),
        }, ReadTokenAsync, cancellationToken);

        if (shortLived.Scopes is { Count: > 0 } granted && !granted.Contains(PublishScope))
        {
            throw new PlatformException(new PlatformError(ErrorCategory.Auth,
                $"Instagram: the person did not grant {PublishScope}; connect again and allow publishing."));
        }

        var longLived = await GetTokenAsync(Api("access_token"), cancellationToken,
            ("grant_type", "ig_exchange_token"), ("client_secret", o.ClientSecret), ("access_token", shortLived.AccessToken.Reveal()));
        var me = await GetAsync(Graph("me", ("fields", "user_id,username,name")), longLived.AccessToken, null, cancellationToken);
        var userId = Text(me["user_id"]) ?? Text(me["id"]) ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Auth, "Instagram: the profile carried no user id."));
        var username = Text(me["username"]) ?? userId;
        return new ConnectedAccount(userId, username, Text(me["name"]), longLived with { Scopes = longLived.Scopes ?? shortLived.Scopes });
    }

    /// <summary>
    /// <c>GET /refresh_access_token?grant_type=ig_refresh_token</c>: a new 60-day token (Instagram has no separate refresh
    /// token, so <see cref="TokenSet.RefreshToken"/> stays null). A token under 24 hours old cannot be refreshed and needs
    /// not be: it is returned as is. An expired one is dead.
    /// </summary>
    public override async Task<TokenRefresh> RefreshTokenAsync(TokenSet current, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (current.ExpiresAt is { } expires && expires <= now)
        {
            return TokenRefresh.Failed(new PlatformError(ErrorCategory.Auth, "Instagram: the token has expired; reconnect the account."));
        }

        if (current.ExpiresAt is { } fresh && fresh - now > LongLivedTokenLifetime - TimeSpan.FromHours(24))
        {
            return TokenRefresh.Ok(current);
        }

        try
        {
            var tokens = await GetTokenAsync(Api("refresh_access_token"), cancellationToken,
                ("grant_type", "ig_refresh_token"), ("access_token", current.AccessToken.Reveal()));
            return TokenRefresh.Ok(tokens with { Scopes = tokens.Scopes ?? current.Scopes });
        }
        catch (PlatformException ex)
        {
            return TokenRefresh.Failed(ex.Error);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return TokenRefresh.Failed(new PlatformError(ErrorCategory.Transient, $"Instagram: the token refresh broke off: {ex.Message}"));
        }
    }

    /// <summary>Instagram Login has no token revocation endpoint: the person removes the app in Instagram's settings.</summary>
    public override Task RevokeAsync(TokenSet current, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override string CommentTextField => "text";

    public override Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) => AttemptAsync(request.Limits, async marker =>
    {
        var token = RequireToken(request.Account);
        var media = request.Content.Media;
        if (media.Count is 0 or > MaxCarouselItems)
        {
            return PublishOutcome.Failure(ErrorCategory.InvalidContent, $"Instagram: a post carries 1 to {MaxCarouselItems} images or videos, not {media.Count}.");
        }

        if (OptionRules.Check(Platform, request.Content).FirstOrDefault() is { } mismatch)
        {
            return PublishOutcome.Failure(ErrorCategory.InvalidContent, $"Instagram: {mismatch.Message}");
        }

        var saved = await SavedContainerAsync(request, token, cancellationToken);
        if (saved?.Code == ContainerStatus.Published)
        {
            // An earlier attempt published it: report that media, never publish twice.
            return await FindPublishedMediaAsync(request, token, cancellationToken) ?? PublishOutcome.Failure(ErrorCategory.UnknownOutcome,
                $"Instagram: container {saved.Id} is published but its media is not listed yet.");
        }

        await EnsurePublishingQuotaAsync(request.Account.ExternalId, token, request.Limits, cancellationToken);
        var containerId = saved?.Id ?? await CreateContainerAsync(request, token, cancellationToken);
        await WaitUntilFinishedAsync(containerId, token, request.Limits, cancellationToken);

        await request.SaveCheckpointAsync(SentAtCheckpoint, UnixSeconds(Time.GetUtcNow()));
        var published = await IrreversibleAsync(marker, () => SendGraphAsync(
            new HttpRequestMessage(HttpMethod.Post, Graph($"{request.Account.ExternalId}/media_publish", ("creation_id", containerId))), token, request.Limits, cancellationToken));
        var mediaId = Text(published["id"]) ?? throw new PlatformException(
            new PlatformError(ErrorCategory.UnknownOutcome, "Instagram accepted media_publish but sent no media id."));
        return await DescribeMediaAsync(mediaId, request.Account, token, request.Limits, cancellationToken);
    });

    protected override PlatformError? ClassifySpecific(MetaGraphError error, HttpResponseMessage response) =>
        InstagramErrors.Classify(error, response, Time.GetUtcNow());

    /// <summary>Instagram permalinks carry a shortcode the media id does not give; the profile is the fallback.</summary>
    public static string ProfileLink(PublishingIdentity account) => $"https://www.instagram.com/{Uri.EscapeDataString(account.Handle)}/";
}
