using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Webhooks;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Apis;

/// <summary>
/// Outbound webhooks: a workspace's receivers, the events each one gets, and every delivery with its attempts.
/// Each delivery is signed (<c>PostNext-Signature: t=…,v1=…</c>) and retried with backoff until it is answered 2xx.
/// </summary>
public static class WebhooksApi
{
    public const int DefaultDeliveriesLimit = 50;
    public const int MaxDeliveriesLimit = 1000;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapWorkspaceGroup().MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", CreateAsync)
            .WithName("CreateWebhook")
            .WithSummary("Add a webhook receiver (https) for some events; a generated signing secret is shown in this answer only.")
            .Accepts<CreateWebhookRequest>("application/json")
            .Produces<CreatedWebhookResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapGet("/", ListAsync)
            .WithName("ListWebhooks").WithSummary("List the workspace's webhooks (never their secrets).")
            .Produces<WebhookListResponse>();
        webhooks.MapGet("/{webhookId}", GetAsync)
            .WithName("GetWebhook").WithSummary("Get a webhook (never its secret).")
            .Produces<WebhookResponse>();
        webhooks.MapDelete("/{webhookId}", DeleteAsync)
            .WithName("DeleteWebhook").WithSummary("Delete a webhook; its pending deliveries are dropped.")
            .Produces(StatusCodes.Status204NoContent);
        webhooks.MapGet("/{webhookId}/deliveries", DeliveriesAsync)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The webhook's deliveries, newest first, each with its status, next attempt and most recent attempts.")
            .Produces<WebhookDeliveryListResponse>()
            .ProducesValidationProblem();
        webhooks.MapPost("/{webhookId}/test", TestAsync)
            .WithName("TestWebhook").WithSummary("Send a 'webhook.test' event to this webhook now, whatever events it subscribed to.")
            .Produces<WebhookDeliveryResponse>(StatusCodes.Status202Accepted);
        webhooks.MapPost("/{webhookId}/deliveries/{deliveryId}/redeliver", RedeliverAsync)
            .WithName("RedeliverWebhookDelivery")
            .WithSummary("Send one delivery again now (delivered, failed or pending), with a fresh retry window.")
            .Produces<WebhookDeliveryResponse>(StatusCodes.Status202Accepted);
        webhooks.MapPost("/{webhookId}/rotate-secret", RotateSecretAsync)
            .WithName("RotateWebhookSecret")
            .WithSummary("Replace the signing secret (given, or generated and shown once); the previous one keeps signing too for graceHours (default 24, at most 168).")
            .Accepts<RotateWebhookSecretRequest>("application/json")
            .Produces<RotatedWebhookSecretResponse>()
            .ProducesValidationProblem();
        return endpoints;
    }

    public const int DefaultGraceHours = 24;
    public const int MaxGraceHours = 168;

    private static async Task<IResult> RedeliverAsync(HttpContext http, string webhookId, string deliveryId, IGrainFactory grains) =>
        Ids.IsValid(webhookId, WebhookIds.Webhook) && Ids.IsValid(deliveryId, WebhookIds.Delivery) &&
        await grains.Webhooks(http).RedeliverAsync(webhookId, deliveryId) is { } delivery
            ? TypedResults.Accepted($"/v1/workspaces/{delivery.WorkspaceId}/webhooks/{webhookId}/deliveries", ToResponse(delivery))
            : Problems.NotFound("The delivery");

    private static async Task<IResult> RotateSecretAsync(HttpContext http, string webhookId, IGrainFactory grains)
    {
        RotateWebhookSecretRequest body = new(null, null);
        if (http.Request.ContentLength > 0 || http.Request.HasJsonContentType())
        {
            var (read, _, error) = await JsonBody.ReadAsync<RotateWebhookSecretRequest>(http.Request);
            if (error is not null)
            {
                return error;
            }

            body = read!;
        }

        if (body.GraceHours is < 0 or > MaxGraceHours)
        {
            var errors = new RequestErrors();
            errors.Add("graceHours", $"graceHours is a whole number from 0 to {MaxGraceHours}.");
            return Problems.Invalid(errors);
        }

        var rotated = Ids.IsValid(webhookId, WebhookIds.Webhook)
            ? await grains.Webhooks(http).RotateSecretAsync(webhookId, body.Secret is null ? null : new Secret(body.Secret), TimeSpan.FromHours(body.GraceHours ?? DefaultGraceHours))
            : null;
        if (rotated is null)
        {
            return Problems.NotFound("The webhook");
        }

        if (rotated.Problem is { } problem)
        {
            var errors = new RequestErrors();
            errors.Add("secret", problem);
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(new RotatedWebhookSecretResponse(webhookId, rotated.GeneratedSecret?.Reveal(), rotated.PreviousSecretExpiresAt));
    }

    private static IWebhooksGrain Webhooks(this IGrainFactory grains, HttpContext http) => grains.GetGrain<IWebhooksGrain>(http.WorkspaceId());

    private static async Task<IResult> CreateAsync(HttpContext http, IGrainFactory grains)
    {
        var (body, _, error) = await JsonBody.ReadAsync<CreateWebhookRequest>(http.Request);
        if (error is not null)
        {
            return error;
        }

        // The silo validates (it knows whether private networks are allowed and resolves the host); every problem comes back at once.
        var created = await grains.Webhooks(http).CreateAsync(new CreateWebhook(body!.Url, body.Events, body.Secret is null ? null : new Secret(body.Secret)));
        if (created.Problems.Count > 0)
        {
            var errors = new RequestErrors();
            foreach (var problem in created.Problems)
            {
                errors.Add(problem.Field, problem.Message);
            }

            return Problems.Invalid(errors);
        }

        if (created.Conflict is not null || created.Webhook is not { } webhook)
        {
            return Problems.Conflict(created.Conflict ?? "The webhook could not be created.");
        }

        return TypedResults.Created(
            $"/v1/workspaces/{webhook.WorkspaceId}/webhooks/{webhook.Id}",
            new CreatedWebhookResponse(webhook.Id, webhook.Url, webhook.Events, webhook.CreatedAt, created.GeneratedSecret?.Reveal()));
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(new WebhookListResponse((await grains.Webhooks(http).ListAsync()).Select(ToResponse).ToList()));

    private static async Task<IResult> GetAsync(HttpContext http, string webhookId, IGrainFactory grains) =>
        Ids.IsValid(webhookId, WebhookIds.Webhook) && await grains.Webhooks(http).GetAsync(webhookId) is { } webhook
            ? TypedResults.Ok(ToResponse(webhook))
            : Problems.NotFound("The webhook");

    private static async Task<IResult> DeleteAsync(HttpContext http, string webhookId, IGrainFactory grains) =>
        Ids.IsValid(webhookId, WebhookIds.Webhook) && await grains.Webhooks(http).DeleteAsync(webhookId)
            ? TypedResults.NoContent()
            : Problems.NotFound("The webhook");

    private static async Task<IResult> DeliveriesAsync(HttpContext http, string webhookId, string? limit, IGrainFactory grains)
    {
        var count = DefaultDeliveriesLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxDeliveriesLimit))
        {
            var errors = new RequestErrors();
            errors.Add("limit", $"limit must be a whole number from 1 to {MaxDeliveriesLimit}.");
            return Problems.Invalid(errors);
        }

        if (!Ids.IsValid(webhookId, WebhookIds.Webhook) || await grains.Webhooks(http).GetDeliveriesAsync(webhookId, count) is not { } deliveries)
        {
            return Problems.NotFound("The webhook");
        }

        return TypedResults.Ok(new WebhookDeliveryListResponse(webhookId, deliveries.Select(ToResponse).ToList()));
    }

    private static async Task<IResult> TestAsync(HttpContext http, string webhookId, IGrainFactory grains) =>
        Ids.IsValid(webhookId, WebhookIds.Webhook) && await grains.Webhooks(http).SendTestAsync(webhookId) is { } delivery
            ? TypedResults.Accepted($"/v1/workspaces/{delivery.WorkspaceId}/webhooks/{webhookId}/deliveries", ToResponse(delivery))
            : Problems.NotFound("The webhook");

    private static WebhookResponse ToResponse(WebhookView w) => new(w.Id, w.Url, w.Events, w.CreatedAt);

    private static WebhookDeliveryResponse ToResponse(WebhookDelivery d) => new(
        d.Id, d.EventId, d.EventType, ApiNames.Of(d.Status), d.CreatedAt, d.AttemptCount, d.NextAttemptAt, d.DeliveredAt,
        d.Attempts.Select(a => new WebhookAttemptResponse(a.At, a.StatusCode, a.Error, a.DurationMs)).ToList());
}
