using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Apis;

/// <summary>The OAuth callback the platforms redirect to. It needs no key: the single-use state binds it to the workspace.</summary>
public static class OAuthApi
{
    public static IEndpointRouteBuilder MapOAuthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/oauth/{platform}/callback", CallbackAsync)
            .AllowAnonymous()
            .WithTags("Accounts").WithName("OAuthCallback")
            .WithSummary("Completes a connection: exchanges the code and creates or reconnects the account. Forged, expired or replayed states are refused.")
            .Produces<ConnectedAccountResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return endpoints;
    }

    private static async Task<IResult> CallbackAsync(string platform, string? code, string? state, string? error, string? error_description, IGrainFactory grains)
    {
        if (!PlatformIds.IsKnown(platform))
        {
            return Problems.NotFound("The platform");
        }

        if (error is not null)
        {
            return Problems.BadRequest($"The platform did not authorize the connection: {error} {error_description}".Trim());
        }

        if (string.IsNullOrEmpty(state) || state.Length > 128 || string.IsNullOrEmpty(code) || code.Length > 4096)
        {
            return Problems.BadRequest("The callback needs 'code' and 'state'.");
        }

        var result = await grains.GetGrain<IConnectionGrain>(state).CompleteAsync(platform, code);
        if (result.Account is { } account)
        {
            return TypedResults.Ok(new ConnectedAccountResponse(account.ToResponse(), result.Reconnected));
        }

        return result.Refused
            ? Problems.BadRequest(result.Error ?? "The state is not valid.")
            : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The platform refused the connection", detail: result.Error);
    }
}
