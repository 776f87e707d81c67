using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Members;

/// <summary>
/// The contract of a person's session: the cookie scheme and the claims it carries. A session principal has
/// <see cref="UserClaim"/>, <see cref="WorkspaceClaim"/> (the workspace it acts in) and <see cref="RoleClaim"/> (its role
/// there), checked against the member store on every request.
/// </summary>
public static class SessionDefaults
{
    /// <summary>The cookie authentication scheme, also the cookie's name.</summary>
    public const string Scheme = "PostNext.Session";

    /// <summary>The default scheme: a request with an Authorization header is a key's, else one with the cookie a session's.</summary>
    public const string KeyOrSessionScheme = "PostNext";

    public const string UserClaim = "postnext:user";
    public const string WorkspaceClaim = ApiKeyDefaults.WorkspaceClaim;
    public const string RoleClaim = "postnext:role";

    /// <summary>The <c>ClaimTypes.Role</c> of a session principal (keys have <c>operator</c> or <c>workspace</c>).</summary>
    public const string MemberRole = "member";

    /// <summary>The header a cookie-authenticated state-changing API call carries its antiforgery token in.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>The antiforgery cookie (pairs with the header's token).</summary>
    public const string AntiforgeryCookie = "PostNext.Antiforgery";

    /// <summary>Where invitation and bootstrap links point: the web app's page that accepts them (<c>?token=…</c>).</summary>
    public const string JoinPath = "/app/join";

    /// <summary>Where a browser without a session is sent from the web app's pages.</summary>
    public const string SignInPath = "/app/sign-in";
}
