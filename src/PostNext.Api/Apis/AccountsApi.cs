using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Limits;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Analytics;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using System.Security.Cryptography;

namespace PostNext.Api.Apis;

/// <summary>Connected accounts, their queue slots and (for sandbox accounts) what the sandbox received.</summary>
public static class AccountsApi
{
    public const int MaxHandleLength = 100;
    public const int MaxQueueSlots = 200;

    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapWorkspaceGroup().MapGroup("/accounts").WithTags("Accounts");
        accounts.MapPost("/", ConnectAsync)
            .WithName("CreateAccount").WithSummary("Add a sandbox account, or import an account whose tokens you hold (reconnects it if it exists).")
            .Accepts<ConnectAccountRequest>("application/json")
            .Produces<AccountResponse>(StatusCodes.Status201Created).ProducesValidationProblem();
        accounts.MapPost("/connect", StartConnectAsync)
            .WithName("ConnectAccount")
            .WithSummary("Start connecting an account through the platform's OAuth page (admin): answers the authorize URL, a single-use state and the completion secret the callback needs.")
            .Accepts<StartConnectRequest>("application/json")
            .Produces<StartConnectResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status400BadRequest);
        accounts.MapGet("/", ListAsync)
            .WithName("ListAccounts").WithSummary("List the workspace's accounts.").Produces<AccountListResponse>();
        accounts.MapGet("/{accountId}", GetAsync)
            .WithName("GetAccount").WithSummary("Get an account.").Produces<AccountResponse>();
        accounts.MapDelete("/{accountId}", RemoveAsync)
            .WithName("DeleteAccount").WithSummary("Disconnect an account; its pending publications are canceled.")
            .Produces(StatusCodes.Status204NoContent);
        accounts.MapPut("/{accountId}/queue", SetQueueAsync)
            .RequireScope(ApiScopes.Publish).WithName("SetQueue").WithSummary("Replace the account's weekly queue slots (local times in the workspace time zone).")
            .Accepts<QueueRequest>("application/json")
            .Produces<QueueResponse>().ProducesValidationProblem();
        accounts.MapGet("/{accountId}/queue", GetQueueAsync)
            .WithName("GetQueue").WithSummary("Get the account's weekly queue slots.").Produces<QueueResponse>();
        accounts.MapGet("/{accountId}/limits", LimitsAsync)
            .WithName("GetAccountLimits")
            .WithSummary("The account's rate-limit windows (its own and its platform app's): remaining budget, reset time, blocks and deferred count.")
            .Produces<AccountLimitsResponse>();
        accounts.MapGet("/{accountId}/sandbox/received", SandboxReceivedAsync)
            .WithName("GetSandboxReceived")
            .WithSummary("What the sandbox received for this account (every call, duplicates included); filter by postId.")
            .Produces<SandboxReceivedResponse>();
        return endpoints;
    }

    /// <summary>The account if it exists and belongs to the request's workspace.</summary>
    internal static async Task<AccountView?> FindAsync(IGrainFactory grains, string workspaceId, string? accountId)
    {
        if (!Ids.IsValid(accountId, Ids.Account))
        {
            return null;
        }

        var account = await grains.GetGrain<IAccountGrain>(accountId).GetAsync();
        return account?.WorkspaceId == workspaceId ? account : null;
    }

    private static async Task<IResult> ConnectAsync(HttpContext http, IGrainFactory grains)
    {
        var (body, _, error) = await JsonBody.ReadAsync<ConnectAccountRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new RequestErrors();
        var platform = body!.Platform?.Trim().ToLowerInvariant();
        if (!PlatformIds.IsKnown(platform))
        {
            errors.Add("platform", $"Unknown platform; use one of: {string.Join(", ", PlatformIds.All)}.");
        }
        else if (platform != PlatformIds.Sandbox)
        {
            if (string.IsNullOrWhiteSpace(body.AccessToken))
            {
                errors.Add("accessToken", $"Importing a {platform} account needs its accessToken (or connect it with POST …/accounts/connect).");
            }

            if (string.IsNullOrWhiteSpace(body.ExternalId))
            {
                errors.Add("externalId", $"Importing a {platform} account needs the platform's id for it (user id, page id, author URN or channel id).");
            }
        }
        else if (body.AccessToken is not null)
        {
            errors.Add("accessToken", "Sandbox accounts take no tokens.");
        }

        var handle = body.Handle?.Trim().TrimStart('@');
        if (string.IsNullOrEmpty(handle) || handle.Length > MaxHandleLength)
        {
            errors.Add("handle", $"A handle of 1 to {MaxHandleLength} characters is required.");
        }

        if (body.DisplayName is { Length: > MaxHandleLength * 2 })
        {
            errors.Add("displayName", $"A display name is at most {MaxHandleLength * 2} characters.");
        }

        var sandbox = ReadSandbox(body.Sandbox, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var ws = http.WorkspaceId();
        var tokens = body.AccessToken is null
            ? null
            : new AccountTokens(new Secret(body.AccessToken.Trim()), body.RefreshToken is null ? null : new Secret(body.RefreshToken.Trim()), body.ExpiresAt, null);
        if (tokens is not null && await FindByExternalIdAsync(grains, ws, platform!, body.ExternalId!.Trim()) is { } existing)
        {
            var reconnected = await grains.GetGrain<IAccountGrain>(existing).ReconnectAsync(tokens, handle!, body.DisplayName?.Trim());
            return TypedResults.Ok(reconnected.ToResponse());
        }

        var id = Ids.New(Ids.Account);
        var account = await grains.GetGrain<IAccountGrain>(id).ConnectAsync(
            new ConnectAccount(ws, platform!, handle!, body.DisplayName?.Trim(), body.ExternalId?.Trim(), sandbox, tokens));
        try
        {
            await grains.GetGrain<IWorkspaceGrain>(ws).AddAccountAsync(id);
        }
        catch (InvalidOperationException ex)
        {
            await grains.GetGrain<IAccountGrain>(id).RemoveAsync();
            return Problems.Conflict(ex.Message);
        }

        return TypedResults.Created($"/v1/workspaces/{ws}/accounts/{id}", account.ToResponse());
    }

    private static async Task<string?> FindByExternalIdAsync(IGrainFactory grains, string ws, string platform, string externalId)
    {
        var ids = await grains.GetGrain<IWorkspaceGrain>(ws).GetAccountIdsAsync();
        var accounts = await Task.WhenAll(ids.Select(id => grains.GetGrain<IAccountGrain>(id).GetAsync()));
        return accounts.FirstOrDefault(a => a is not null && a.Platform == platform && a.ExternalId == externalId)?.Id;
    }

    private static async Task<IResult> StartConnectAsync(HttpContext http, IGrainFactory grains)
    {
        var (body, _, error) = await JsonBody.ReadAsync<StartConnectRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new RequestErrors();
        var platform = body!.Platform?.Trim().ToLowerInvariant();
        if (!PlatformIds.IsKnown(platform) || platform == PlatformIds.Sandbox)
        {
            errors.Add("platform", $"Connect one of: {string.Join(", ", PlatformIds.All.Where(p => p != PlatformIds.Sandbox))} (sandbox accounts need no connection).");
        }

        if (!Uri.TryCreate(body.RedirectUri, UriKind.Absolute, out var redirect) ||
            !(redirect.Scheme == Uri.UriSchemeHttps || (redirect.Scheme == Uri.UriSchemeHttp && redirect.IsLoopback)))
        {
            errors.Add("redirectUri", "An absolute https URL (http only on loopback) registered with the platform app is required.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        // The state is the hash of a one-time secret only this client receives: the callback must bring the secret back.
        var completionSecret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var state = OAuthApi.StateFor(completionSecret);
        var start = await grains.GetGrain<IConnectionGrain>(state).StartAsync(http.WorkspaceId(), platform!, redirect!);
        return start.AuthorizeUrl is null
            ? Problems.BadRequest(start.Error ?? "The connection could not be started.")
            : TypedResults.Ok(new StartConnectResponse(start.AuthorizeUrl.ToString(), state, start.ExpiresAt, completionSecret));
    }

    private static SandboxBehaviour? ReadSandbox(SandboxSettings? settings, RequestErrors errors)
    {
        if (settings is null)
        {
            return null;
        }

        if (settings.LatencyMs is < 0 or > 120_000)
        {
            errors.Add("sandbox.latencyMs", "Latency must be between 0 and 120000 milliseconds.");
        }

        var rates = new (string Field, string Name, double? Value)[]
        {
            ("sandbox.failureRate", "failure rate", settings.FailureRate),
            ("sandbox.rateLimitRate", "rate-limit rate", settings.RateLimitRate),
            ("sandbox.unknownOutcomeRate", "unknown-outcome rate", settings.UnknownOutcomeRate),
        };
        var sum = 0.0;
        foreach (var (field, name, value) in rates)
        {
            if (value is < 0 or > 1)
            {
                errors.Add(field, $"The {name} is a share between 0 and 1.");
                continue;
            }

            sum += value ?? 0;
            if (value is not null && sum > 1)
            {
                // Shares of the same calls: the field that takes the total past 1 is the one named.
                errors.Add(field, "failureRate, rateLimitRate and unknownOutcomeRate are shares of the same calls: together at most 1.");
            }
        }

        if (settings.RateLimitResetSeconds is < 1 or > 3600)
        {
            errors.Add("sandbox.rateLimitResetSeconds", "The reset a simulated 429 reports must be between 1 and 3600 seconds.");
        }

        var audience = SandboxAudienceText.Read(settings, errors);
        return new SandboxBehaviour(settings.LatencyMs ?? 0, settings.FailureRate ?? 0, settings.UnknownOutcomeRate ?? 0,
            settings.Followers, audience.PeakDay, settings.PeakHour, audience.TimeZone,
            settings.RateLimitRate ?? 0, settings.RateLimitResetSeconds ?? SandboxBehaviour.DefaultRateLimitResetSeconds);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IWorkspaceGrain>(http.WorkspaceId()).GetAccountIdsAsync();
        var accounts = await Task.WhenAll(ids.Select(id => grains.GetGrain<IAccountGrain>(id).GetAsync()));
        return TypedResults.Ok(new AccountListResponse(accounts.OfType<AccountView>().Select(a => a.ToResponse()).ToList()));
    }

    private static async Task<IResult> GetAsync(HttpContext http, string accountId, IGrainFactory grains) =>
        await FindAsync(grains, http.WorkspaceId(), accountId) is { } account
            ? TypedResults.Ok(account.ToResponse())
            : Problems.NotFound("The account");

    private static async Task<IResult> RemoveAsync(HttpContext http, string accountId, IGrainFactory grains)
    {
        var ws = http.WorkspaceId();
        if (await FindAsync(grains, ws, accountId) is null)
        {
            return Problems.NotFound("The account");
        }

        await grains.GetGrain<IAccountGrain>(accountId).RemoveAsync();
        await grains.GetGrain<IWorkspaceGrain>(ws).RemoveAccountAsync(accountId);
        await CancelPendingAsync(grains, ws, accountId);
        return TypedResults.NoContent();
    }

    /// <summary>Cancels the account's scheduled and deferred publications, found through the calendar index.</summary>
    private static async Task CancelPendingAsync(IGrainFactory grains, string ws, string accountId)
    {
        var calendar = grains.GetGrain<ICalendarGrain>(ws);
        foreach (var status in new[] { PublicationStatus.Scheduled, PublicationStatus.Deferred })
        {
            CalendarCursor? cursor = null;
            do
            {
                var page = await calendar.QueryAsync(new CalendarQuery(ws, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), accountId, null, status, cursor, 500));
                await Task.WhenAll(page.Entries.Select(e => grains.GetGrain<IPublicationGrain>(PublicationKey.For(e.PostId, e.AccountId)).CancelAsync()));
                cursor = page.Next;
            }
            while (cursor is not null);
        }
    }

    private static async Task<IResult> SetQueueAsync(HttpContext http, string accountId, IGrainFactory grains)
    {
        var workspace = await http.WorkspaceViewAsync();
        if (await FindAsync(grains, workspace.Id, accountId) is null)
        {
            return Problems.NotFound("The account");
        }

        var (body, _, error) = await JsonBody.ReadAsync<QueueRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new RequestErrors();
        var slots = new List<QueueSlot>();
        if (body!.Slots is null)
        {
            errors.Add("slots", "A list of slots is required (it may be empty to clear the queue).");
        }
        else if (body.Slots.Count > MaxQueueSlots)
        {
            errors.Add("slots", $"At most {MaxQueueSlots} slots.");
        }
        else
        {
            for (var i = 0; i < body.Slots.Count; i++)
            {
                if (QueueSlotText.TryParse(body.Slots[i], out var slot, out var problem))
                {
                    slots.Add(slot);
                }
                else
                {
                    errors.Add($"slots[{i}]", problem);
                }
            }
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        await grains.GetGrain<IWorkspaceGrain>(workspace.Id).SetQueueAsync(accountId, slots);
        return await GetQueueAsync(http, accountId, grains);
    }

    private static async Task<IResult> GetQueueAsync(HttpContext http, string accountId, IGrainFactory grains)
    {
        var workspace = await http.WorkspaceViewAsync();
        if (await FindAsync(grains, workspace.Id, accountId) is null)
        {
            return Problems.NotFound("The account");
        }

        var slots = await grains.GetGrain<IWorkspaceGrain>(workspace.Id).GetQueueAsync(accountId);
        return TypedResults.Ok(new QueueResponse(accountId, workspace.TimeZone, slots.Select(QueueSlotText.Format).ToList()));
    }

    private static async Task<IResult> LimitsAsync(HttpContext http, string accountId, IGrainFactory grains)
    {
        var ws = http.WorkspaceId();
        var account = await FindAsync(grains, ws, accountId);
        if (account is null)
        {
            return Problems.NotFound("The account");
        }

        var scopes = await Task.WhenAll(
            grains.GetGrain<IRateLimitGrain>(RateLimitScopes.Account(account.Platform, accountId)).GetStatusAsync(),
            grains.GetGrain<IRateLimitGrain>(RateLimitScopes.App(account.Platform)).GetStatusAsync());
        var deferred = 0;
        CalendarCursor? cursor = null;
        do
        {
            var page = await grains.GetGrain<ICalendarGrain>(ws).QueryAsync(new CalendarQuery(
                ws, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1), accountId, null, PublicationStatus.Deferred, cursor, 1000));
            deferred += page.Entries.Count;
            cursor = page.Next;
        }
        while (cursor is not null);

        return TypedResults.Ok(new AccountLimitsResponse(accountId, account.Platform, scopes.Select((s, i) => new LimitScopeResponse(
            i == 0 ? "account" : "app",
            s.Windows.Select(w => new LimitWindowResponse(w.Name, w.Limit, w.Period.TotalSeconds, w.Used, w.Remaining, w.ResetAt)).ToList(),
            s.BlockedUntil, s.BlockedReason, s.Waiting)).ToList(), deferred));
    }

    private static async Task<IResult> SandboxReceivedAsync(HttpContext http, string accountId, string? postId, int? limit, IGrainFactory grains)
    {
        var account = await FindAsync(grains, http.WorkspaceId(), accountId);
        if (account is null || account.Platform != PlatformIds.Sandbox)
        {
            return Problems.NotFound("The sandbox account");
        }

        if (limit is < 1 or > 10_000)
        {
            return Problems.BadRequest("limit must be between 1 and 10000.");
        }

        var received = await grains.GetGrain<IAccountGrain>(accountId).GetSandboxReceivedAsync(limit ?? 1000);
        var filtered = postId is null ? received : received.Where(r => r.PublicationKey == PublicationKey.For(postId, accountId)).ToList();
        return TypedResults.Ok(new SandboxReceivedResponse(accountId, filtered
            .Select(r => new SandboxReceiptResponse(r.PublicationKey, r.PublicationKey.Split('~')[0], r.AttemptId, r.ExternalId, r.Permalink, r.Text, r.MediaCount, r.ReceivedAt))
            .ToList()));
    }
}
