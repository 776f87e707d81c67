using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PostNext.ServiceDefaults.Security;

/// <summary>Names shared by the authentication scheme, its claims and the authorization policies.</summary>
public static class ApiKeyDefaults
{
    public const string Scheme = "PostNextKey";
    public const string OperatorPolicy = "Operator";
    public const string OperatorRole = "operator";
    public const string WorkspaceRole = "workspace";
    public const string WorkspaceClaim = "postnext:workspace";
    public const string KeyIdClaim = "postnext:key";
    public const string ScopeClaim = "postnext:scope";
}

/// <summary>Resolves a presented workspace API key to its workspace; registered by the API once workspaces exist.</summary>
public interface IWorkspaceKeyResolver
{
    /// <summary>The workspace and key id the key belongs to, or null when it is unknown or revoked.</summary>
    ValueTask<WorkspaceKeyMatch?> ResolveAsync(string presentedKey, CancellationToken cancellationToken);
}

/// <summary>A verified workspace key: its workspace, its id and what it may do.</summary>
public sealed record WorkspaceKeyMatch(string WorkspaceId, string KeyId, IReadOnlyList<string> Scopes);

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (API clients) and <c>Basic</c> with the key as password
/// (so a browser can open the dashboard). The key never reaches a log.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    OperatorKey operatorKey,
    VerifiedKeyCache cache,
    IEnumerable<IWorkspaceKeyResolver> workspaceKeys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadPresentedKey(Request.Headers.Authorization.ToString());
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (operatorKey.Matches(presented))
        {
            return Success(new Claim(ClaimTypes.Role, ApiKeyDefaults.OperatorRole), new Claim(ClaimTypes.Name, "operator"));
        }

        var match = cache.Find(presented);
        foreach (var resolver in workspaceKeys)
        {
            if (match is not null)
            {
                break;
            }

            match = await resolver.ResolveAsync(presented, Context.RequestAborted);
            if (match is not null)
            {
                cache.Add(presented, match);
            }
        }

        return match is null
            ? AuthenticateResult.Fail("The API key is not valid.")
            : Success([
                new Claim(ClaimTypes.Role, ApiKeyDefaults.WorkspaceRole),
                new Claim(ApiKeyDefaults.WorkspaceClaim, match.WorkspaceId),
                new Claim(ApiKeyDefaults.KeyIdClaim, match.KeyId),
                new Claim(ClaimTypes.Name, $"workspace:{match.WorkspaceId}"),
                .. match.Scopes.Select(scope => new Claim(ApiKeyDefaults.ScopeClaim, scope)),
            ]);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append("WWW-Authenticate", "Bearer");
        Response.Headers.Append("WWW-Authenticate", "Basic realm=\"PostNext\", charset=\"UTF-8\"");
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            "Send an API key as 'Authorization: Bearer <key>'. The key is missing, unknown or revoked.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This key may not use this resource.");

    private Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(Context);
    }

    private AuthenticateResult Success(params Claim[] claims)
    {
        var identity = new ClaimsIdentity(claims, ApiKeyDefaults.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyDefaults.Scheme));
    }

    /// <summary>The key from a Bearer header, or the password of a Basic header; null when neither is present.</summary>
    internal static string? ReadPresentedKey(string authorization)
    {
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) || string.IsNullOrWhiteSpace(header.Parameter))
        {
            return null;
        }

        if (header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return header.Parameter.Trim();
        }

        if (header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                var password = colon < 0 ? decoded : decoded[(colon + 1)..];
                return string.IsNullOrWhiteSpace(password) ? null : password;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }
}
