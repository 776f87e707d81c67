using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using PostNext.Api.Members;
using PostNext.Web.Components.Shared;

namespace PostNext.Web.Session;

/// <summary>
/// The app's session forms: sign in with email and password, sign out, switch workspace, and accept an invitation or
/// bootstrap link. Each runs through <see cref="MemberSessions"/>, the members layer the HTTP API uses too (its
/// password checks, brute-force protection and cookie); nothing here sees a password past handing it over.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPath = SessionDefaults.SignInPath;
    public const string SignOutPath = "/app/sign-out";
    public const string JoinPath = SessionDefaults.JoinPath;

    /// <summary>Where the sign-in form posts (the page itself is a component at <see cref="SignInPath"/>).</summary>
    public const string SessionPath = "/app/session";

    /// <summary>Where the workspace switcher posts.</summary>
    public const string WorkspacePath = "/app/session/workspace";

    public const string Home = "/app/calendar";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SessionPath, SignInAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(JoinPath, JoinAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(SignOutPath, async (HttpContext http, MemberSessions sessions) =>
        {
            await sessions.SignOutAsync(http);
            return Results.Redirect(SignInPath);
        }).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(WorkspacePath, SwitchAsync).RequireAuthorization(Member.MemberPolicy).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, MemberSessions sessions, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var result = await sessions.SignInAsync(http, email, password, workspaceId: null);
        if (result.Session is null)
        {
            Flash.Set(http, "error", Explain(result));
            return Results.Redirect(SignInPath + (IsLocal(returnUrl) ? QueryString.Create("returnUrl", returnUrl!).Value : ""));
        }

        return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : Home);
    }

    private static async Task<IResult> JoinAsync(
        HttpContext http, MemberSessions sessions, [FromForm] string? token, [FromForm] string? email, [FromForm] string? password)
    {
        var result = await sessions.AcceptAsync(http, token, string.IsNullOrWhiteSpace(email) ? null : email, password);
        if (result.Session is null)
        {
            Flash.Set(http, "error", Explain(result));
            return Results.Redirect(JoinPath + (string.IsNullOrEmpty(token) || token.Length > 200 ? "" : QueryString.Create("token", token).Value));
        }

        Flash.Set(http, "ok", $"Welcome to the workspace: you are {result.Session.Role} here.");
        return Results.Redirect(Home);
    }

    private static async Task<IResult> SwitchAsync(HttpContext http, MemberSessions sessions, [FromForm] string? workspaceId, [FromForm] string? returnUrl)
    {
        var result = await sessions.SwitchWorkspaceAsync(http, workspaceId);
        Flash.Set(http, result.Session is null ? "error" : "ok",
            result.Session is { } s ? $"Now in {s.Workspaces.FirstOrDefault(w => w.WorkspaceId == s.WorkspaceId)?.Name ?? s.WorkspaceId} as {s.Role}." : Explain(result));
        return Results.Redirect(result.Session is not null || !IsLocal(returnUrl) ? Home : returnUrl!);
    }

    /// <summary>The members layer's reason, with the wait when throttled.</summary>
    private static string Explain(SessionResult result) => result.RetryAfter is { } wait
        ? $"{result.Detail} Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} min."
        : result.Detail ?? "That did not work; try again.";

    /// <summary>Only paths of this app: never a redirect to another site.</summary>
    private static bool IsLocal(string? url) =>
        url is { Length: > 1 } && url.StartsWith("/app", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal);
}
