using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains.Common;
using PostNext.Grains.Scheduling;
using PostNext.Grains.Webhooks;
using PostNext.Platforms;
using PostNext.Platforms.Common;
using PostNext.Storage.Sandbox;

namespace PostNext.Grains.Accounts;

/// <summary>
/// One connected account: identity, connection status and tokens (encrypted at rest). Refreshes its token ahead of
/// expiry on its own reminder and before any publish. Every refresh failure, whatever the connector threw, is
/// classified: the platform refusing the grant makes the account <c>reconnect_required</c> at once (its publications
/// then fail with an auth error at their time); anything else keeps the current token and the reminder retries, until
/// refreshes have kept failing for <see cref="AccountOptions.TokenRefreshRetryBudget"/> after the token expired.
/// </summary>
public sealed partial class AccountGrain(
    [PersistentState("account", StorageNames.Grains)] IPersistentState<AccountState> state,
    ISandboxStore sandbox,
    TokenVault vault,
    PlatformConnectors connectors,
    IOptions<SchedulingOptions> options,
    IOptions<AccountOptions> accountOptions,
    TimeProvider time,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain, IRemindable
{
    public const string RefreshReminder = "token-refresh";

    /// <summary>Refreshed tokens the platform issued but storage has not taken yet: kept here and written at the next chance.</summary>
    private StoredTokens? _unsavedTokens;

    private string Id => this.GetPrimaryKeyString();

    private AccountState S => state.State;

    private bool Exists => state.RecordExists && S.Status != AccountStatus.Removed;

    public async Task<AccountView> ConnectAsync(ConnectAccount command)
    {
        if (state.RecordExists)
        {
            throw new InvalidOperationException($"Account {Id} already exists.");
        }

        var now = time.GetUtcNow();
        state.State = new AccountState
        {
            WorkspaceId = command.WorkspaceId,
            Platform = command.Platform,
            Handle = command.Handle,
            DisplayName = command.DisplayName,
            ExternalId = command.ExternalId ?? (command.Platform == PlatformIds.Sandbox ? "sandbox-" + Id : command.Handle),
            Status = AccountStatus.Connected,
            CreatedAt = now,
            Sandbox = command.Platform == PlatformIds.Sandbox ? command.Sandbox ?? new SandboxBehaviour() : null,
            Tokens = command.Tokens is null ? null : vault.Protect(command.Tokens, null, now),
        };
        await state.WriteOrReloadAsync(this, logger);
        await ArmRefreshAsync();
        return View();
    }

    public Task<AccountView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task<AccountView> ReconnectAsync(AccountTokens tokens, string handle, string? displayName)
    {
        if (!Exists)
        {
            throw new InvalidOperationException($"Account {Id} does not exist.");
        }

        S.Tokens = vault.Protect(tokens, S.Tokens, time.GetUtcNow());
        S.Handle = handle;
        S.DisplayName = displayName ?? S.DisplayName;
        S.Status = AccountStatus.Connected;
        S.StatusReason = null;
        S.RefreshFailingSince = null;
        await state.WriteOrReloadAsync(this, logger);
        await ArmRefreshAsync();
        return View();
    }

    public async Task<AccountView?> RefreshTokenAsync(bool force)
    {
        if (!Exists)
        {
            return null;
        }

        await EnsureFreshTokenAsync(force);
        return View();
    }

    public async Task RemoveAsync()
    {
        if (!Exists)
        {
            return;
        }

        if (S.Tokens is not null && connectors.Find(S.Platform) is { } connector && !await GrantHeldElsewhereAsync())
        {
            try
            {
                var tokens = vault.Unprotect(S.Tokens);
                await connector.RevokeAsync(new TokenSet(tokens.AccessToken, tokens.RefreshToken, tokens.ExpiresAt), CancellationToken.None);
            }
            catch (Exception ex) when (!AccountCallFailures.IsFatal(ex))
            {
                // Best effort: the account is removed here whatever the platform answered.
                LogRevokeFailed(Id, AccountCallFailures.Classify(ex, "token revocation").Message);
            }
        }

        S.Status = AccountStatus.Removed;
        S.Tokens = null;
        await state.WriteOrReloadAsync(this, logger);
        await DisarmRefreshAsync();
    }

    public Task<bool> HoldsGrantAsync(string platform, string grantFingerprint) =>
        Task.FromResult(Exists && S.Platform == platform && GrantFingerprint() is { } mine &&
                        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                            System.Text.Encoding.ASCII.GetBytes(mine), System.Text.Encoding.ASCII.GetBytes(grantFingerprint)));

    /// <summary>
    /// Whether another account of the workspace was connected through the same consent (the chooser connects one account
    /// per chosen page, all on one grant): revoking it then would cut those off too.
    /// </summary>
    private async Task<bool> GrantHeldElsewhereAsync()
    {
        if (GrantFingerprint() is not { } mine)
        {
            return false;
        }

        var others = (await GrainFactory.GetGrain<IWorkspaceGrain>(S.WorkspaceId).GetAccountIdsAsync()).Where(id => id != Id);
        foreach (var other in others)
        {
            if (await GrainFactory.GetGrain<IAccountGrain>(other).HoldsGrantAsync(S.Platform, mine))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A hash naming the grant behind the tokens: the person whose consent they carry where the platform told us (a
    /// Facebook user: each Page keeps and refreshes its own copy of their user token, so the token cannot name it), else
    /// the refresh token where there is one (a LinkedIn partner's is the member's), else the access token (shared by a
    /// LinkedIn member and its pages).
    /// </summary>
    private string? GrantFingerprint()
    {
        if (S.Tokens is null)
        {
            return null;
        }

        var tokens = vault.Unprotect(S.Tokens);
        var grant = tokens.GrantOwner is { } owner ? "owner\n" + owner : (tokens.RefreshToken ?? tokens.AccessToken).Reveal();
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("PostNext grant\n" + grant)));
    }

    public async Task<PublishingIdentity?> GetPublishingIdentityAsync()
    {
        if (!Exists)
        {
            return null;
        }

        await EnsureFreshTokenAsync(force: false);
        return new PublishingIdentity(Id, S.Platform, S.ExternalId, S.Handle, S.Status, S.Sandbox, AccessToken());
    }

    /// <summary>
    /// The decrypted access token, kept in memory while the stored tokens stay the same object (a refresh or a
    /// reconnect replaces them): thousands of publishes of one account at one instant decrypt it once, not each.
    /// </summary>
    private Secret? AccessToken()
    {
        if (S.Tokens is null)
        {
            return null;
        }

        if (!ReferenceEquals(_decryptedFrom, S.Tokens))
        {
            _accessToken = vault.Unprotect(S.Tokens).AccessToken;
            _decryptedFrom = S.Tokens;
        }

        return _accessToken;
    }

    private object? _decryptedFrom;
    private Secret? _accessToken;

    public async Task MarkReconnectRequiredAsync(string reason)
    {
        if (!Exists || S.Status == AccountStatus.ReconnectRequired)
        {
            return;
        }

        await BecomeReconnectRequiredAsync(reason);
    }

    public async Task<IReadOnlyList<SandboxReceipt>> GetSandboxReceivedAsync(int limit) =>
        Exists && S.Platform == PlatformIds.Sandbox ? await sandbox.ListAsync(Id, limit) : [];

    /// <summary>A last chance for rotated tokens storage has not taken yet.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => SaveRotatedTokensAsync();

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RefreshReminder)
        {
            return;
        }

        if (!Exists || S.Tokens is null || S.Status != AccountStatus.Connected)
        {
            await DisarmRefreshAsync();
            return;
        }

        await SaveRotatedTokensAsync();
        await EnsureFreshTokenAsync(force: false);
    }

    /// <summary>
    /// Stores tokens a refresh just rotated. Platforms that rotate refresh tokens (X) have already invalidated the old
    /// one, so these must never be dropped by a failed write: a conflict re-reads the stored state and re-applies
    /// them, and when storage cannot take them they stay in this activation (it keeps using them) and are written
    /// again at the next call or reminder tick.
    /// </summary>
    private async Task SaveRotatedTokensAsync()
    {
        if (_unsavedTokens is not { } tokens)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                S.Tokens = tokens;
                S.RefreshFailingSince = null;
                await state.WriteStateAsync();
                _unsavedTokens = null;
                return;
            }
            catch (Exception ex) when (attempt < 3)
            {
                LogTokensNotStored(Id, attempt, ex.GetType().Name);
                try
                {
                    await state.ReadStateAsync();
                }
                catch (Exception readError)
                {
                    LogTokensNotStored(Id, attempt, readError.GetType().Name);
                }
            }
            catch (Exception ex)
            {
                LogTokensNotStored(Id, attempt, ex.GetType().Name);
                S.Tokens = tokens;
                return;
            }
        }
    }

    /// <summary>
    /// Refreshes when the token expires within the margin. Never throws for what the platform or connector did: a refusal
    /// → reconnect_required; any other failure keeps the current token (the reminder retries) until the token has been
    /// expired for the retry budget, then reconnect_required.
    /// </summary>
    private async Task EnsureFreshTokenAsync(bool force)
    {
        if (S.Tokens is not { } stored || S.Status != AccountStatus.Connected)
        {
            return;
        }

        var now = time.GetUtcNow();
        var due = stored.ExpiresAt is { } expires && expires - now <= options.Value.TokenRefreshAhead;
        if (!force && !due)
        {
            return;
        }

        var connector = connectors.Find(S.Platform);
        if (connector is null)
        {
            return;
        }

        var current = vault.Unprotect(stored);
        TokenRefresh result;
        try
        {
            result = await connector.RefreshTokenAsync(new TokenSet(current.AccessToken, current.RefreshToken, current.ExpiresAt, current.Scopes), CancellationToken.None);
        }
        catch (Exception ex) when (!AccountCallFailures.IsFatal(ex))
        {
            result = TokenRefresh.Failed(AccountCallFailures.Classify(ex, "token refresh"));
        }

        PostNextTelemetry.TokenRefreshes.Add(1, PostNextTelemetry.Platform(S.Platform), PostNextTelemetry.Outcome(
            result.Tokens is not null ? "success" : result.Error?.Category == ErrorCategory.Auth ? "refused" : "failed"));
        if (result.Tokens is { } fresh)
        {
            S.Tokens = vault.Protect(new AccountTokens(fresh.AccessToken, fresh.RefreshToken, fresh.ExpiresAt, fresh.Scopes, fresh.GrantOwner), stored, now);
            S.RefreshFailingSince = null;
            _unsavedTokens = S.Tokens;
            await SaveRotatedTokensAsync();
            await ArmRefreshAsync();
            return;
        }

        var error = result.Error ?? new PlatformError(ErrorCategory.Transient, "The platform answered the token refresh with neither tokens nor an error.");
        if (error.Category == ErrorCategory.Auth)
        {
            await BecomeReconnectRequiredAsync($"Token refresh failed: {error.Message}");
            return;
        }

        // Counted from the later of expiry and the first failure in a row, so a cluster that was down past the expiry
        // gets the whole budget after it restarts.
        var budget = accountOptions.Value.TokenRefreshRetryBudget;
        var failingSince = S.RefreshFailingSince ?? now;
        if (stored.ExpiresAt is { } expired && now - (expired > failingSince ? expired : failingSince) >= budget)
        {
            await BecomeReconnectRequiredAsync($"Token refresh kept failing for {budget} after the token expired: {error.Message}");
            return;
        }

        // Not refused: the reminder tries again every period, and the current token may still work meanwhile.
        LogRefreshDeferred(Id, error.Category, error.Message);
        if (S.RefreshFailingSince is null)
        {
            S.RefreshFailingSince = now;
            try
            {
                await state.WriteOrReloadAsync(this, logger);
            }
            catch (Exception ex) when (!AccountCallFailures.IsFatal(ex))
            {
                // Logged by the write; the budget's clock then starts at the next failed refresh.
            }
        }
    }

    private async Task BecomeReconnectRequiredAsync(string reason)
    {
        S.Status = AccountStatus.ReconnectRequired;
        S.StatusReason = reason;
        S.RefreshFailingSince = null;
        await state.WriteOrReloadAsync(this, logger);
        await DisarmRefreshAsync();
        LogReconnectRequired(Id, S.Platform);
        PostNextTelemetry.ReconnectRequired.Add(1, PostNextTelemetry.Platform(S.Platform));
        await GrainFactory.EmitWebhookAsync(S.WorkspaceId, WebhookEvents.AccountReconnectRequired(View(), time.GetUtcNow()), logger);
    }

    private async Task ArmRefreshAsync()
    {
        if (S.Tokens?.ExpiresAt is not { } expires || S.Status != AccountStatus.Connected)
        {
            await DisarmRefreshAsync();
            return;
        }

        var due = expires - options.Value.TokenRefreshAhead - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(RefreshReminder, due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due, options.Value.ReminderPeriod);
    }

    private async Task DisarmRefreshAsync()
    {
        if (await this.GetReminder(RefreshReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private AccountView View() => new(
        Id, S.WorkspaceId, S.Platform, S.Handle, S.DisplayName, S.ExternalId, S.Status, S.CreatedAt, S.Sandbox,
        S.Tokens?.ExpiresAt, S.StatusReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountId} ({Platform}) needs to be reconnected: its token could not be refreshed")]
    private partial void LogReconnectRequired(string accountId, string platform);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountId}: token refresh failed ({Category}): {Reason}; the reminder retries")]
    private partial void LogRefreshDeferred(string accountId, ErrorCategory category, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId}: revoking the token at the platform failed ({Reason})")]
    private partial void LogRevokeFailed(string accountId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account {AccountId}: storing refreshed tokens failed (try {Try}: {Error}); they are kept in memory and written again")]
    private partial void LogTokensNotStored(string accountId, int @try, string error);
}
