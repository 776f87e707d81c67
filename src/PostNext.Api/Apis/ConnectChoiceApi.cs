using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Apis;

/// <summary>
/// Choosing the accounts to connect when one consent offers several (Facebook Pages, LinkedIn organizations): the
/// callback keeps the candidates for a short while, bound to the connection's state and workspace; an admin of that
/// workspace reads them and chooses. Candidates carry no token.
/// </summary>
public static class ConnectChoiceApi
{
    public const int MaxChosen = 100;

    public static IEndpointRouteBuilder MapConnectChoiceApi(this IEndpointRouteBuilder endpoints)
    {
        var connect = endpoints.MapWorkspaceGroup().MapGroup("/connections/{state}").WithTags("Accounts");
        connect.MapGet("/", GetAsync)
            .RequireScope(ApiScopes.Admin)
            .WithName("GetConnectChoice")
            .WithSummary("The accounts a connection's consent offered, waiting to be chosen (admin); after the choice, the accounts it connected.")
            .Produces<ConnectChoiceResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        connect.MapPost("/choose", ChooseAsync)
            .WithName("ChooseConnectAccounts")
            .WithSummary("Connect the chosen candidates, one account each (admin). The same choice again answers the same accounts; another choice after it, an unknown id or an expired choice is refused and nothing is stored.")
            .Accepts<ChooseAccountsRequest>("application/json")
            .Produces<ChosenAccountsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        return endpoints;
    }

    /// <summary>What the callback answers when the consent offered several accounts (202: nothing connected yet).</summary>
    public static ConnectChoiceResponse Pending(string state, string platform, ConnectionResult result) => new(
        state, platform, result.ChooseBy!.Value, [.. result.Candidates!.Select(ToResponse)], []);

    private static async Task<IResult> GetAsync(HttpContext http, IGrainFactory grains, string state)
    {
        if (!IsState(state))
        {
            return Problems.NotFound("The connection");
        }

        var choice = await grains.GetGrain<IConnectionGrain>(state).GetChoiceAsync(http.WorkspaceId());
        return choice.Refusal == ChoiceRefusal.None ? TypedResults.Ok(ToResponse(state, choice)) : Refused(choice);
    }

    private static async Task<IResult> ChooseAsync(HttpContext http, IGrainFactory grains, string state)
    {
        var (body, _, error) = await JsonBody.ReadAsync<ChooseAccountsRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        var ids = body!.Ids?.Select(id => id?.Trim() ?? "").ToList() ?? [];
        if (ids.Count is 0 or > MaxChosen || ids.Any(id => id.Length is 0 or > 200))
        {
            var errors = new RequestErrors();
            errors.Add("ids", $"Choose 1 to {MaxChosen} of the offered candidates by their id.");
            return Problems.Invalid(errors);
        }

        if (!IsState(state))
        {
            return Problems.NotFound("The connection");
        }

        var choice = await grains.GetGrain<IConnectionGrain>(state).ChooseAsync(http.WorkspaceId(), ids);
        return choice.Refusal == ChoiceRefusal.None
            ? TypedResults.Ok(new ChosenAccountsResponse([.. choice.Accounts.Select(a => new ConnectedAccountResponse(a.Account.ToResponse(), a.Reconnected))]))
            : Refused(choice);
    }

    /// <summary>A state is a base64url SHA-256 (43 characters); anything else names no connection.</summary>
    private static bool IsState(string state) =>
        state.Length == 43 && state.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static ConnectChoiceResponse ToResponse(string state, ConnectionChoice choice) => new(
        state, choice.Platform, choice.ChooseBy, [.. choice.Candidates.Select(ToResponse)],
        [.. choice.Accounts.Select(a => new ConnectedAccountResponse(a.Account.ToResponse(), a.Reconnected))]);

    private static ConnectCandidateResponse ToResponse(ConnectCandidate c) => new(c.Id, c.Name, c.Handle, c.Kind);

    private static IResult Refused(ConnectionChoice choice) => choice.Refusal switch
    {
        ChoiceRefusal.NotFound => Problems.NotFound("The connection waiting for a choice"),
        ChoiceRefusal.Expired => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone", detail: choice.Error),
        ChoiceRefusal.Used => Problems.Conflict(choice.Error ?? "A choice was already made."),
        _ => Problems.BadRequest(choice.Error ?? "The choice is not valid."),
    };
}
