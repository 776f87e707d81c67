using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>Which pending deliveries may go out together: one per resource at a time, in order, oldest first.</summary>
public sealed class WebhookLanesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2030-01-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Deliveries_about_different_resources_are_all_ready_oldest_first_but_a_resources_next_waits_for_the_one_before()
    {
        var a1 = Delivery("a1", "postA");
        var b1 = Delivery("b1", "postB");
        var a2 = Delivery("a2", "postA");
        var c1 = Delivery("c1", "postC");
        var lanes = new WebhookLanes([a1, b1, a2, c1], Now);

        Assert.Equal([a1, b1, c1], TakeAll(lanes));

        lanes.Complete(b1 with { Status = WebhookDeliveryStatus.Delivered });
        Assert.Empty(TakeAll(lanes));
        lanes.Complete(a1 with { Status = WebhookDeliveryStatus.Failed });
        Assert.Equal([a2], TakeAll(lanes));
    }

    [Fact]
    public void A_delivery_that_stays_pending_holds_back_the_rest_of_its_resource_only()
    {
        var a1 = Delivery("a1", "postA");
        var a2 = Delivery("a2", "postA");
        var b1 = Delivery("b1", "postB");
        var b2 = Delivery("b2", "postB");
        var lanes = new WebhookLanes([a1, a2, b1, b2], Now);
        Assert.Equal([a1, b1], TakeAll(lanes));

        lanes.Complete(a1 with { NextAttemptAt = Now.AddSeconds(10) });
        lanes.Complete(b1 with { Status = WebhookDeliveryStatus.Delivered });

        Assert.Equal([b2], TakeAll(lanes));
        lanes.Complete(b2 with { Status = WebhookDeliveryStatus.Delivered });
        Assert.Equal(Now.AddSeconds(10), lanes.NextReadyAt);
    }

    [Fact]
    public void A_resource_whose_oldest_delivery_is_not_due_waits_unless_every_delivery_counts_as_due()
    {
        var a1 = Delivery("a1", "postA") with { NextAttemptAt = Now.AddSeconds(30) };
        var a2 = Delivery("a2", "postA");
        var b1 = Delivery("b1", "postB");

        Assert.Equal([b1], TakeAll(new WebhookLanes([a1, a2, b1], Now)));
        Assert.Equal([a1, b1], TakeAll(new WebhookLanes([a1, a2, b1], DateTimeOffset.MaxValue)));
    }

    [Fact]
    public void Events_naming_no_post_or_account_stand_alone()
    {
        var t1 = Delivery("t1", post: null);
        var t2 = Delivery("t2", post: null);

        Assert.Equal([t1, t2], TakeAll(new WebhookLanes([t1, t2], Now)));
    }

    [Fact]
    public void The_window_defaults_to_8_and_must_be_between_1_and_64()
    {
        Assert.Equal(8, new WebhookOptions().MaxInFlightPerWebhook);
        Assert.Empty(new WebhookOptions { MaxInFlightPerWebhook = 64 }.Problems());
        Assert.Single(new WebhookOptions { MaxInFlightPerWebhook = 0 }.Problems());
        Assert.Single(new WebhookOptions { MaxInFlightPerWebhook = 65 }.Problems());
    }

    private static List<WebhookDelivery> TakeAll(WebhookLanes lanes)
    {
        var taken = new List<WebhookDelivery>();
        while (lanes.TryTake(out var delivery))
        {
            taken.Add(delivery);
        }

        return taken;
    }

    private static WebhookDelivery Delivery(string id, string? post)
    {
        var data = post is null ? """{"webhookId":"wh1"}""" : $$"""{"postId":"{{post}}","accountId":"acc1"}""";
        return new WebhookDelivery(id, "ws1", "wh1", "evt-" + id, WebhookEventTypes.PostPublished, $$"""{"id":"evt-{{id}}","data":{{data}}}""",
            Now.AddMinutes(-1), WebhookDeliveryStatus.Pending, 0, Now.AddMinutes(-1), null, []);
    }
}
