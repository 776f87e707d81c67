using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Api.Apis;
using PostNext.Api.Contracts;
using PostNext.Api.Members;
using PostNext.Web.Components.Shared;
using PostNext.Web.Session;

namespace PostNext.Web.Api;

/// <summary>
/// The app's buttons: each form posts here (antiforgery checked), the action runs through <see cref="InProcessApi"/>,
/// and the browser is sent back with a one-time message (post, redirect, get). Works without JavaScript.
/// </summary>
public static class AppActions
{
    public const string ConnectCookie = "PostNext.Connect";
    private const string ConnectPurpose = "PostNext.Web.Connect";

    public static IEndpointRouteBuilder MapAppActions(this IEndpointRouteBuilder endpoints)
    {
        var act = endpoints.MapGroup("/app/act").RequireAuthorization(Member.MemberPolicy).ExcludeFromDescription();
        act.MapPost("/posts/{postId}/cancel", (HttpContext http, InProcessApi api, string postId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<PostResponse>(Me(http), "CancelPost", new { postId }), "Post canceled."));
        act.MapPost("/posts/{postId}/publish-now", (HttpContext http, InProcessApi api, string postId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<PostResponse>(Me(http), "PublishPostNow", new { postId }), "Publishing now."));
        act.MapPost("/posts/{postId}/delete", (HttpContext http, InProcessApi api, string postId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<NoContent>(Me(http), "DeletePost", new { postId }), "Post deleted."));
        act.MapPost("/posts/{postId}/reschedule", RescheduleAsync);
        act.MapPost("/accounts/sandbox", (HttpContext http, InProcessApi api, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<AccountResponse>(Me(http), "CreateAccount",
                body: new ConnectAccountRequest("sandbox", form["handle"].ToString(), null, null, null, null, null, null)), "Sandbox account connected."));
        act.MapPost("/accounts/connect", ConnectAsync);
        act.MapPost("/connections/{state}/choose", ChooseAsync);
        act.MapPost("/accounts/{accountId}/queue", (HttpContext http, InProcessApi api, string accountId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<QueueResponse>(Me(http), "SetQueue", new { accountId }, body: new QueueRequest(ReadSlots(form["slots"].ToString()))),
                "Queue saved."));
        act.MapPost("/accounts/{accountId}/delete", (HttpContext http, InProcessApi api, string accountId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<NoContent>(Me(http), "DeleteAccount", new { accountId }), "Account disconnected."));
        act.MapPost("/webhooks", (HttpContext http, InProcessApi api, IFormCollection form) => CreateWebhookAsync(http, api, form));
        act.MapPost("/webhooks/{webhookId}/test", (HttpContext http, InProcessApi api, string webhookId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<WebhookDeliveryResponse>(Me(http), "TestWebhook", new { webhookId }), "Test event sent."));
        act.MapPost("/webhooks/{webhookId}/delete", (HttpContext http, InProcessApi api, string webhookId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<NoContent>(Me(http), "DeleteWebhook", new { webhookId }), "Webhook deleted."));
        act.MapPost("/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver", (HttpContext http, InProcessApi api, string webhookId, string deliveryId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<WebhookDeliveryResponse>(Me(http), "RedeliverWebhookDelivery", new { webhookId, deliveryId }), "Delivery queued again."));
        act.MapPost("/members/invite", InviteAsync);
        act.MapPost("/members/invitations/{invitationId}/revoke", (HttpContext http, InProcessApi api, string invitationId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<NoContent>(Me(http), "RevokeInvitation", new { invitationId }), "Invitation revoked; its link no longer works."));
        act.MapPost("/members/{userId}/role", (HttpContext http, InProcessApi api, string userId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<MemberResponse>(Me(http), "ChangeMemberRole", new { userId }, body: new ChangeRoleRequest(form["role"].ToString())),
                "Role changed.", changed => $"{changed.Email} is now {changed.Role}."));
        act.MapPost("/members/{userId}/remove", (HttpContext http, InProcessApi api, string userId, IFormCollection form) =>
            RunAsync(http, form, api.SendAsync<NoContent>(Me(http), "RemoveMember", new { userId }), "Member removed."));
        endpoints.MapGet("/app/accounts/callback/{platform}", CallbackAsync).RequireAuthorization(Member.MemberPolicy).ExcludeFromDescription();
        return endpoints;
    }

    private static Member Me(HttpContext http) => Member.From(http.User) ?? throw new InvalidOperationException("The member policy let in a request without a member.");

    /// <summary>Moves a post to another local day, keeping its local time of day (the calendar's drag and drop).</summary>
    private static Task<IResult> RescheduleAsync(HttpContext http, InProcessApi api, string postId, IFormCollection form)
    {
        var at = $"{form["date"]}T{(form["time"].ToString() is { Length: > 0 } t ? t : "09:00")}:00";
        var schedule = new ScheduleDto(at, null, form["timeZone"].ToString() is { Length: > 0 } z ? z : null);
        return RunAsync(http, form, api.SendAsync<PostResponse>(Me(http), "UpdatePost", new { postId }, body: new UpdatePostRequest(null, null, schedule, null)),
            $"Moved to {form["date"]} {form["time"]}.");
    }

    private static Task<IResult> CreateWebhookAsync(HttpContext http, InProcessApi api, IFormCollection form)
    {
        var events = form["events"].Where(e => !string.IsNullOrWhiteSpace(e)).ToList();
        return RunAsync(http, form, api.SendAsync<CreatedWebhookResponse>(Me(http), "CreateWebhook",
            body: new CreateWebhookRequest(form["url"].ToString(), events, null)),
            "Webhook created.", created => created.Secret is { } secret ? $"Webhook created. Its signing secret, shown this once: {secret}" : "Webhook created.");
    }

    /// <summary>An invitation through the API; its link is shown this once, on this host's address (the in-process call has none).</summary>
    private static Task<IResult> InviteAsync(HttpContext http, InProcessApi api, IFormCollection form) =>
        RunAsync(http, form, api.SendAsync<IssuedInvitationResponse>(Me(http), "CreateInvitation",
                body: new CreateInvitationRequest(form["email"].ToString(), form["role"].ToString())),
            "Invitation created.", issued => $"Invitation for {issued.Email} as {issued.Role}. Send this link, shown this once: " +
                                             MembersLinks.Join($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}", issued.Token));

    /// <summary>Starts an OAuth connection: the completion secret stays on the server side, in a protected cookie only this browser holds.</summary>
    private static async Task<IResult> ConnectAsync(HttpContext http, InProcessApi api, IDataProtectionProvider protection, IFormCollection form)
    {
        var platform = form["platform"].ToString();
        var redirect = $"{http.Request.Scheme}://{http.Request.Host}/app/accounts/callback/{Uri.EscapeDataString(platform)}";
        var answer = await api.SendAsync<StartConnectResponse>(Me(http), "ConnectAccount", body: new StartConnectRequest(platform, redirect));
        if (!answer.Ok)
        {
            return Back(http, form, Failure(Me(http), answer.Problem!));
        }

        http.Response.Cookies.Append(ConnectCookie, protection.CreateProtector(ConnectPurpose).Protect(answer.Value!.CompletionSecret), new CookieOptions
        {
            Path = "/app/accounts/callback", HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromMinutes(10), Secure = http.Request.IsHttps,
        });
        return Results.Redirect(answer.Value.AuthorizeUrl);
    }

    /// <summary>The platform sends the person back here: the API's callback completes the connection with the secret from the cookie.</summary>
    private static async Task<IResult> CallbackAsync(HttpContext http, InProcessApi api, IDataProtectionProvider protection, string platform)
    {
        string? secret = null;
        if (http.Request.Cookies.TryGetValue(ConnectCookie, out var protectedSecret))
        {
            try
            {
                secret = protection.CreateProtector(ConnectPurpose).Unprotect(protectedSecret);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                secret = null;
            }
        }

        http.Response.Cookies.Delete(ConnectCookie, new CookieOptions { Path = "/app/accounts/callback" });
        var query = http.Request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()));
        var answer = await api.SendAsync<CallbackAnswer>(Me(http), "OAuthCallback", new { platform }, query,
            headers: secret is null ? null : [new(OAuthApi.ConnectSecretHeader, secret)]);
        if (answer.Ok && answer.Status == StatusCodes.Status202Accepted && answer.Value!.State is { } state)
        {
            // Several accounts offered: nothing is connected until the person chooses.
            return Results.Redirect($"/app/accounts/choose/{Uri.EscapeDataString(state)}");
        }

        if (answer.Ok && answer.Value!.Account is { } account)
        {
            Flash.Set(http, "ok", $"{account.Platform} account @{account.Handle} {(answer.Value.Reconnected ? "reconnected" : "connected")}.");
        }
        else
        {
            Flash.Set(http, "error", Failure(Me(http), answer.Problem!));
        }

        return Results.Redirect("/app/accounts");
    }

    /// <summary>Connects the candidates ticked on the choose page through the API; back to that page when it refuses.</summary>
    private static async Task<IResult> ChooseAsync(HttpContext http, InProcessApi api, string state, IFormCollection form)
    {
        var ids = form["ids"].Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id!).ToList();
        var answer = await api.SendAsync<ChosenAccountsResponse>(Me(http), "ChooseConnectAccounts", new { state }, body: new ChooseAccountsRequest(ids));
        if (!answer.Ok)
        {
            Flash.Set(http, "error", Failure(Me(http), answer.Problem!));
            return Results.Redirect($"/app/accounts/choose/{Uri.EscapeDataString(state)}");
        }

        Flash.Set(http, "ok", "Connected: " + string.Join(", ", answer.Value!.Accounts.Select(a =>
            $"{a.Account.Platform} account @{a.Account.Handle}{(a.Reconnected ? " (reconnected)" : "")}")) + ".");
        return Results.Redirect("/app/accounts");
    }

    private static async Task<IResult> RunAsync<T>(HttpContext http, IFormCollection form, Task<ApiAnswer<T>> call, string done, Func<T, string>? describe = null)
    {
        var answer = await call;
        return Back(http, form, answer.Ok ? null : Failure(Me(http), answer.Problem!), answer.Ok ? (answer.Value is { } v && describe is not null ? describe(v) : done) : null);
    }

    private static IResult Back(HttpContext http, IFormCollection form, string? error, string? done = null)
    {
        Flash.Set(http, error is null ? "ok" : "error", error ?? done ?? "Done.");
        var back = form["returnUrl"].ToString();
        return Results.Redirect(back.StartsWith("/app/", StringComparison.Ordinal) && !back.StartsWith("//", StringComparison.Ordinal) ? back : "/app/calendar");
    }

    /// <summary>What the API refused, in words; a refused scope names the member's role.</summary>
    public static string Failure(Member member, ApiProblem problem) => problem.Status == StatusCodes.Status403Forbidden
        ? $"Your role ({member.Role}) cannot do this."
        : string.Join(" ", problem.Messages());

    /// <summary>"tue 18:00, thu 09:30" → queue slots (the API checks days and times).</summary>
    public static List<QueueSlotDto> ReadSlots(string text) => text
        .Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(s => s.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        .Select(p => new QueueSlotDto(p.ElementAtOrDefault(0), p.ElementAtOrDefault(1)))
        .ToList();

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The callback's answer: one account (200), or the candidates waiting for a choice under a state (202).</summary>
internal sealed record CallbackAnswer(AccountResponse? Account, bool Reconnected, string? State, IReadOnlyList<ConnectCandidateResponse>? Candidates);
