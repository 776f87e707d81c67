using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Abstractions;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.Api.Members;
using PostNext.ServiceDefaults.Security;
using PostNext.Storage.Members;

namespace PostNext.Api.Apis;

/// <summary>A workspace's members and invitations (owners: a session with the owner role, or an admin key), and the operator's bootstrap link.</summary>
public static class MembersApi
{
    public static IEndpointRouteBuilder MapMembersApi(this IEndpointRouteBuilder endpoints)
    {
        var workspace = endpoints.MapWorkspaceGroup().WithTags("Members");
        workspace.MapGet("/members", async (HttpContext http, IMemberStore store) =>
                TypedResults.Ok(new MembersResponse((await store.MembersAsync(http.WorkspaceId(), http.RequestAborted)).Select(ToResponse).ToList())))
            .WithName("ListMembers").WithSummary("The workspace's members and their roles.")
            .Produces<MembersResponse>();
        workspace.MapPatch("/members/{userId}", ChangeRoleAsync)
            .WithName("ChangeMemberRole").WithSummary("Give a member another role (owner); the last owner cannot be demoted.")
            .Accepts<ChangeRoleRequest>("application/json")
            .Produces<MemberResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        workspace.MapDelete("/members/{userId}", RemoveAsync)
            .WithName("RemoveMember").WithSummary("Remove a member (owner); their sessions end at their next request. The last owner cannot be removed.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict);
        workspace.MapGet("/invitations", ListInvitationsAsync)
            .RequireScope(ApiScopes.Admin)
            .WithName("ListInvitations").WithSummary("The workspace's open invitations (owner); never their tokens.")
            .Produces<InvitationsResponse>();
        workspace.MapPost("/invitations", InviteAsync)
            .WithName("CreateInvitation").WithSummary("Invite an email with a role (owner); answers the one-time link, shown this once.")
            .Accepts<CreateInvitationRequest>("application/json")
            .Produces<IssuedInvitationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        workspace.MapDelete("/invitations/{invitationId}", async (HttpContext http, string invitationId, IMemberStore store) =>
                Ids.IsValid(invitationId, Ids.Invitation) && await store.RevokeInvitationAsync(http.WorkspaceId(), invitationId, http.RequestAborted)
                    ? TypedResults.NoContent()
                    : Problems.NotFound("The invitation"))
            .WithName("RevokeInvitation").WithSummary("Revoke an open invitation (owner); its link stops working at once.")
            .Produces(StatusCodes.Status204NoContent);
        workspace.MapPost("/bootstrap-link", BootstrapAsync)
            .RequireAuthorization(ApiKeyDefaults.OperatorPolicy)
            .WithName("CreateBootstrapLink").WithSummary("A one-time link whose acceptor (any email) becomes an owner of the workspace (operator).")
            .Produces<IssuedInvitationResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return endpoints;
    }

    private static async Task<IResult> ChangeRoleAsync(HttpContext http, string userId, IMemberStore store)
    {
        var (body, _, error) = await JsonBody.ReadAsync<ChangeRoleRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        if (!WorkspaceRoles.IsKnown(body!.Role))
        {
            return InvalidRole("role", body.Role);
        }

        if (!Ids.IsValid(userId, Ids.User))
        {
            return Problems.NotFound("The member");
        }

        return await store.ChangeRoleAsync(http.WorkspaceId(), userId, body.Role!, http.RequestAborted) switch
        {
            MemberChange.Done => TypedResults.Ok(ToResponse((await store.FindMemberAsync(http.WorkspaceId(), userId, http.RequestAborted))!)),
            MemberChange.NotFound => Problems.NotFound("The member"),
            _ => LastOwner(),
        };
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, string userId, IMemberStore store)
    {
        if (!Ids.IsValid(userId, Ids.User))
        {
            return Problems.NotFound("The member");
        }

        return await store.RemoveAsync(http.WorkspaceId(), userId, http.RequestAborted) switch
        {
            MemberChange.Done => TypedResults.NoContent(),
            MemberChange.NotFound => Problems.NotFound("The member"),
            _ => LastOwner(),
        };
    }

    private static async Task<IResult> ListInvitationsAsync(HttpContext http, IMemberStore store, TimeProvider time) =>
        TypedResults.Ok(new InvitationsResponse((await store.InvitationsAsync(http.WorkspaceId(), time.GetUtcNow(), http.RequestAborted))
            .Select(i => new InvitationResponse(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.CreatedBy)).ToList()));

    private static async Task<IResult> InviteAsync(HttpContext http, MemberSessions sessions)
    {
        var (body, _, error) = await JsonBody.ReadAsync<CreateInvitationRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var errors = new RequestErrors();
        var email = Passwords.NormalizeEmail(body!.Email);
        if (email is null)
        {
            errors.Add("email", $"An email address of at most {Passwords.MaxEmailLength} characters is required.");
        }

        if (!WorkspaceRoles.IsKnown(body.Role))
        {
            errors.Add("role", RoleProblem(body.Role));
        }

        return errors.Any ? Problems.Invalid(errors) : await IssueAsync(http, sessions, email, body.Role!);
    }

    private static Task<IResult> BootstrapAsync(HttpContext http, MemberSessions sessions) => IssueAsync(http, sessions, null, WorkspaceRoles.Owner);

    private static async Task<IResult> IssueAsync(HttpContext http, MemberSessions sessions, string? email, string role)
    {
        var issued = await sessions.InviteAsync(http.WorkspaceId(), email, role, CreatedBy(http.User), http.RequestAborted);
        if (issued is not { } created)
        {
            return Problems.Conflict("This workspace has too many open invitations; revoke some first (PostNext:Members:MaxOpenInvitations).");
        }

        var (i, token) = created;
        var root = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return TypedResults.Created($"/v1/workspaces/{i.WorkspaceId}/invitations/{i.Id}",
            new IssuedInvitationResponse(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, token, MembersLinks.Join(root, token)));
    }

    /// <summary>Who issued an invitation: a person's user id, a key's id, or the operator.</summary>
    private static string CreatedBy(ClaimsPrincipal user) =>
        user.FindFirstValue(SessionDefaults.UserClaim) ?? user.FindFirstValue(ApiKeyDefaults.KeyIdClaim) ?? ApiKeyDefaults.OperatorRole;

    private static IResult InvalidRole(string field, string? role)
    {
        var errors = new RequestErrors();
        errors.Add(field, RoleProblem(role));
        return Problems.Invalid(errors);
    }

    private static string RoleProblem(string? role) => $"Unknown role '{role}'; use one of: {string.Join(", ", WorkspaceRoles.All)}.";

    private static IResult LastOwner() =>
        Problems.Conflict("A workspace keeps at least one owner: make another member owner first.");

    private static MemberResponse ToResponse(Membership m) => new(m.UserId, m.Email, m.Role, m.JoinedAt);
}
