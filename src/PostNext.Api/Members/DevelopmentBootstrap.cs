using Microsoft.Extensions.DependencyInjection;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Members;

/// <summary>
/// A fresh development instance's way in: a workspace named "My workspace" in this machine's time zone, and a one-time
/// link whose acceptor becomes its first owner.
/// </summary>
public sealed class DevelopmentBootstrap(IGrainFactory grains, IServiceScopeFactory scopes) : IBootstrapLinkIssuer
{
    public const string WorkspaceName = "My workspace";

    public async Task<string> IssueAsync(string root, CancellationToken cancellationToken)
    {
        var zone = LocalTimes.FindZone(TimeZoneInfo.Local.Id) is null ? "UTC" : TimeZoneInfo.Local.Id;
        var id = Ids.New(Ids.Workspace);
        await grains.GetGrain<IWorkspaceGrain>(id).CreateAsync(WorkspaceName, zone);
        await using var scope = scopes.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<MemberSessions>()
            .InviteAsync(id, email: null, WorkspaceRoles.Owner, createdBy: ApiKeyDefaults.OperatorRole, cancellationToken)
            ?? throw new InvalidOperationException("A new workspace refused its first invitation.");
        return MembersLinks.Join(root, issued.Token);
    }
}

/// <summary>The links invitations are handed out as.</summary>
public static class MembersLinks
{
    /// <summary>The web app's page that accepts <paramref name="token"/> (in the query, which traces redact).</summary>
    public static string Join(string root, string token) => $"{root}{SessionDefaults.JoinPath}?token={token}";
}
