using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// The Company Pages a member may post as. LinkedIn's "Organization Access Control by Role" finder
/// (<c>GET /rest/organizationAcls?q=roleAssignee&amp;state=APPROVED</c>) lists the member's roles; an ADMINISTRATOR or a
/// CONTENT_ADMINISTRATOR may create posts for the page (Community Management API, "Posts API": author
/// <c>urn:li:organization:{id}</c> with <c>w_organization_social</c>). Each page's name comes from
/// <c>GET /rest/organizations/{id}</c>. The organization scopes are optional: without them (or when LinkedIn refuses the
/// finder) only the member is offered, and connecting never fails for it.
/// </summary>
public sealed partial class LinkedInConnector
{
    /// <summary>Posting, commenting and liking as an organization.</summary>
    public const string OrganizationPostingScope = "w_organization_social";

    /// <summary>
    /// The scopes an app with the Community Management API adds to connect Company Pages: posting as the page and reading
    /// its posts (w_organization_social, r_organization_social), and listing the pages the member administers and their
    /// statistics (rw_organization_admin). The statistics degrade to "not available" without the last one.
    /// </summary>
    public static readonly IReadOnlyList<string> OrganizationScopes = [OrganizationPostingScope, "r_organization_social", "rw_organization_admin"];

    private static readonly string[] PostingRoles = ["ADMINISTRATOR", "CONTENT_ADMINISTRATOR"];

    /// <summary>The organizations the member may post as, by URN; none when LinkedIn will not list them.</summary>
    private async Task<IReadOnlyList<ConnectedAccount>> OrganizationsAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        var member = new PublishingIdentity("", Platform, "", "", AccountStatus.Connected, null, tokens.AccessToken);
        JsonNode? acls;
        try
        {
            acls = await SendRestAsync(Rest(HttpMethod.Get, "rest/organizationAcls?q=roleAssignee&state=APPROVED&count=100", finder: true), member, cancellationToken);
        }
        catch (PlatformException ex) when (ex.Error.HttpStatus is 401 or 403)
        {
            return []; // The app lacks the organization scopes: the member alone.
        }

        var urns = (acls?["elements"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(e => PostingRoles.Contains(e["role"]?.ToString()) && e["state"]?.ToString() is null or "APPROVED")
            .Select(e => e["organization"]?.ToString() ?? e["organizationTarget"]?.ToString())
            .OfType<string>()
            .Where(urn => urn.StartsWith("urn:li:organization:", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var organizations = new List<ConnectedAccount>(urns.Count);
        foreach (var urn in urns)
        {
            var (name, vanity) = await OrganizationNameAsync(urn, member, cancellationToken);
            organizations.Add(new ConnectedAccount(urn, vanity ?? name ?? urn, name, tokens, ConnectCandidateKinds.Organization));
        }

        return organizations;
    }

    /// <summary>The page's localized and vanity names; none when it cannot be read (the URN stands in).</summary>
    private async Task<(string? Name, string? Vanity)> OrganizationNameAsync(string urn, PublishingIdentity member, CancellationToken cancellationToken)
    {
        try
        {
            var organization = await SendRestAsync(Rest(HttpMethod.Get, $"rest/organizations/{urn["urn:li:organization:".Length..]}"), member, cancellationToken);
            return (organization?["localizedName"]?.ToString(), organization?["vanityName"]?.ToString());
        }
        catch (PlatformException)
        {
            return (null, null);
        }
    }
}
