using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Apis;

/// <summary>
/// Completes an OAuth connection. It needs no API key, but it needs the one-time completion secret that
/// <c>…/accounts/connect</c> gave the client that started the connection (the state is that secret's hash), so a
/// consent obtained with someone else's state completes nothing (login CSRF).
/// </summary>
public static class OAuthApi
{
    public const string ConnectSecretHeader = "PostNext-Connect-Secret";

    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/oauth/{platform}/callback", CallbackAsync)
            .AllowAnonymous()
            .WithTags("Accounts").WithName("OAuthCallback")
            .WithSummary("Completes a connection: with the platform's code and state and the connection's completion secret, exchanges the code and creates or reconnects the account; when the consent offers several accounts (Facebook Pages, LinkedIn organizations) it answers 202 with the candidates and creates nothing until they are chosen. Forged, expired, replayed or unbound states are refused.")
            .Produces<ConnectedAccountResponse>()
            .Produces<ConnectChoiceResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return endpoints;
    }

    /// <summary>The state for a completion secret: its SHA-256, base64url. Public; the secret is not.</summary>
    public static string StateFor(string completionSecret) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes("PostNext connect\n" + completionSecret)));

    private static async Task<IResult> CallbackAsync(
        string platform, string? code, string? state, string? error, string? error_description,
        [FromHeader(Name = ConnectSecretHeader)] string? connectSecret, IGrainFactory grains)
    {
        if (!PlatformIds.IsKnown(platform))
        {
            return Problems.NotFound("The platform");
        }

        if (error is not null)
        {
            var why = $"{error} {error_description}".Trim();
            return Problems.BadRequest($"The platform did not authorize the connection: {why[..Math.Min(why.Length, 300)]}");
        }

        if (string.IsNullOrEmpty(state) || state.Length > 128 || string.IsNullOrEmpty(code) || code.Length > 4096)
        {
            return Problems.BadRequest("The callback needs 'code' and 'state'.");
        }

        if (string.IsNullOrEmpty(connectSecret) || connectSecret.Length > 128 ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(StateFor(connectSecret)), Encoding.UTF8.GetBytes(state)))
        {
            return Problems.BadRequest(
                "No connection matches this state and completion secret: the state was never issued, or the callback lacks the completion " +
                $"secret that …/accounts/connect answered for it (send it in the {ConnectSecretHeader} header).");
        }

        var result = await grains.GetGrain<IConnectionGrain>(state).CompleteAsync(platform, code);
        if (result.Candidates is not null)
        {
            return TypedResults.Json(ConnectChoiceApi.Pending(state, platform, result), statusCode: StatusCodes.Status202Accepted);
        }

        if (result.Account is { } account)
        {
            return TypedResults.Ok(new ConnectedAccountResponse(account.ToResponse(), result.Reconnected));
        }

        return result.Refused
            ? Problems.BadRequest(result.Error ?? "The state is not valid.")
            : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The platform refused the connection", detail: result.Error);
    }
}
