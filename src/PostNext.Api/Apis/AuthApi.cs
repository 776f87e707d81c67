using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.Api.Members;

namespace PostNext.Api.Apis;

/// <summary>People's sessions: sign in and out, the current session, switching workspace, and accepting invitations.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var auth = endpoints.MapGroup("/v1/auth").WithTags("Auth");
        auth.MapPost("/sign-in", SignInAsync).AllowAnonymous()
            .WithName("SignIn").WithSummary("Sign in with email and password; answers the session and sets the PostNext.Session cookie.")
            .Accepts<SignInRequest>("application/json")
            .Produces<SessionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/sign-out", async (HttpContext http, MemberSessions sessions) =>
            {
                await sessions.SignOutAsync(http);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(SessionDefaults.Scheme)
            .WithName("SignOut").WithSummary("End the session (the cookie is deleted).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        auth.MapGet("/session", async (HttpContext http, MemberSessions sessions) =>
                await sessions.DescribeAsync(http) is { } session
                    ? TypedResults.Ok(ToResponse(session))
                    : Unauthorized("The session is not valid any more: sign in again."))
            .RequireAuthorization(SessionDefaults.Scheme)
            .WithName("GetSession").WithSummary("The signed-in person, their workspaces and a fresh antiforgery token.")
            .Produces<SessionResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/workspace", SwitchAsync)
            .RequireAuthorization(SessionDefaults.Scheme)
            .WithName("SwitchWorkspace").WithSummary("Act in another of your workspaces from now on (the cookie is re-issued).")
            .Accepts<SwitchWorkspaceRequest>("application/json")
            .Produces<SessionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        auth.MapPost("/invitations/preview", PreviewAsync).AllowAnonymous()
            .WithName("PreviewInvitation").WithSummary("What an invitation link leads to: the workspace, the role and the invited email.")
            .Accepts<InvitationTokenRequest>("application/json")
            .Produces<InvitationPreviewResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        auth.MapPost("/invitations/accept", AcceptAsync).AllowAnonymous()
            .WithName("AcceptInvitation").WithSummary("Accept an invitation: create the account (or give its password), join the workspace, and sign in.")
            .Accepts<AcceptInvitationRequest>("application/json")
            .Produces<SessionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, MemberSessions sessions)
    {
        var (body, _, error) = await JsonBody.ReadAsync<SignInRequest>(http.Request);
        return error ?? ToHttp(http, await sessions.SignInAsync(http, body!.Email, body.Password, body.WorkspaceId));
    }

    private static async Task<IResult> SwitchAsync(HttpContext http, MemberSessions sessions)
    {
        var (body, _, error) = await JsonBody.ReadAsync<SwitchWorkspaceRequest>(http.Request);
        return error ?? ToHttp(http, await sessions.SwitchWorkspaceAsync(http, body!.WorkspaceId));
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, MemberSessions sessions)
    {
        var (body, _, error) = await JsonBody.ReadAsync<InvitationTokenRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var preview = await sessions.PreviewAsync(body!.Token, http.RequestAborted);
        return preview is null
            ? InvitationNotFound()
            : TypedResults.Ok(new InvitationPreviewResponse(preview.Invitation.WorkspaceId, preview.WorkspaceName, preview.Invitation.Role,
                preview.Invitation.Email, preview.Invitation.ExpiresAt, preview.AccountExists));
    }

    private static async Task<IResult> AcceptAsync(HttpContext http, MemberSessions sessions)
    {
        var (body, _, error) = await JsonBody.ReadAsync<AcceptInvitationRequest>(http.Request);
        return error ?? ToHttp(http, await sessions.AcceptAsync(http, body!.Token, body.Email, body.Password));
    }

    private static IResult ToHttp(HttpContext http, SessionResult result)
    {
        if (result.Session is { } session)
        {
            return TypedResults.Ok(ToResponse(session));
        }

        var detail = result.Detail ?? "The request was refused.";
        switch (result.Error)
        {
            case SessionError.Invalid:
                var errors = new RequestErrors();
                errors.Add(result.Field ?? "body", detail);
                return Problems.Invalid(errors);
            case SessionError.WrongCredentials:
            case SessionError.NotSignedIn:
                return Unauthorized(detail);
            case SessionError.Throttled:
                var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter!.Value.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests", detail: $"{detail} Retry after {seconds} s.");
            case SessionError.NoWorkspace:
                return Problems.Forbidden(detail);
            case SessionError.NotMember:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
            case SessionError.InvitationNotFound:
                return InvitationNotFound();
            default:
                return Problems.Conflict(detail);
        }
    }

    private static IResult InvitationNotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This invitation link is unknown, used, revoked or expired.");

    private static IResult Unauthorized(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: detail);

    private static SessionResponse ToResponse(SessionView s) => new(
        s.UserId, s.Email, s.WorkspaceId, s.Role, s.Workspaces.Select(w => new SessionWorkspaceResponse(w.WorkspaceId, w.Name, w.Role)).ToList(),
        s.AntiforgeryToken, SessionDefaults.AntiforgeryHeader);
}
