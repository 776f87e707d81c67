using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Webhooks;
using PostNext.Platforms.Common;
using PostNext.Content.Addresses;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Makes one delivery attempt: POSTs the stored body, signed afresh, to the receiver with a short timeout and no
/// redirects, and says whether it was delivered and, if not, whether the receiver as a whole seems unavailable.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookUrlPolicy policy, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string HttpClientName = "PostNext.Webhooks";
    public const string UserAgent = "PostNext-Webhooks/1";
    public const string EventIdHeader = "PostNext-Event-Id";
    public const string EventTypeHeader = "PostNext-Event-Type";
    public const string DeliveryIdHeader = "PostNext-Delivery-Id";

    private const int MaxErrorBodyBytes = 256;

    public async Task<WebhookSendResult> SendAsync(WebhookTarget target, WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        WebhookSendResult Result(int? status, string? error, bool unavailable) =>
            new(new WebhookAttempt(at, status, error, (long)time.GetElapsedTime(started).TotalMilliseconds), error is null, unavailable);

        if (policy.CheckForm(target.Url, out var uri) is { } problem)
        {
            return Result(null, problem, unavailable: true);
        }

        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation(EventIdHeader, delivery.EventId);
        request.Headers.TryAddWithoutValidation(EventTypeHeader, delivery.EventType);
        request.Headers.TryAddWithoutValidation(DeliveryIdHeader, delivery.Id);
        string[] secrets = target.PreviousSecret is { } previous ? [target.Secret.Reveal(), previous.Reveal()] : [target.Secret.Reveal()];
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Create(secrets, at, body));

        var timeout = options.Value.RequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return Result(status, null, unavailable: false);
            }

            if (status is >= 300 and < 400)
            {
                return Result(status, $"HTTP {status}: redirects are not followed (Location: {response.Headers.Location}).", unavailable: false);
            }

            var excerpt = await ExcerptAsync(response, deadline.Token);
            return Result(status, $"HTTP {status}{(excerpt.Length > 0 ? ": " + excerpt : "")}", unavailable: status >= 500 || status is 408 or 429);
        }
        catch (Exception ex) when (OutboundAddressPolicy.FindRefusal(ex) is { } refused)
        {
            return Result(null, refused.Message, unavailable: true);
        }
        catch (HttpRequestException ex)
        {
            return Result(null, $"The receiver could not be reached: {ex.Message}", unavailable: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(null, $"The receiver did not answer within {timeout.TotalSeconds:0.#} s.", unavailable: true);
        }
    }

    /// <summary>The start of an error response's body, so the deliveries list says what the receiver complained about.</summary>
    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var text = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return read == buffer.Length ? text + "…" : text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return "";
        }
    }
}

/// <summary>One attempt's record, whether it delivered, and whether the receiver seems down (so the rest should wait too).</summary>
public readonly record struct WebhookSendResult(WebhookAttempt Attempt, bool Delivered, bool ReceiverUnavailable);
