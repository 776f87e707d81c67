namespace PostNext.Chaos.Results;

/// <summary>
/// Webhook promises checked from the receiver's side: every final target's <c>post.published</c> / <c>post.failed</c>
/// arrived at least once (redeliveries are allowed), and the first arrivals about each resource (one post target, one
/// account) follow the webhook's delivery order, the <c>seq</c> its deliveries were stored with; deliveries about
/// different resources go out together and may overtake each other.
/// </summary>
public static class WebhookCheck
{
    public static WebhookFigures Run(RunFacts facts, int examples)
    {
        var expected = facts.Targets
            .Select(t => (Target: t, State: facts.States.GetValueOrDefault(t.PublicationKey)))
            .Where(x => x.State?.Status is "published" or "failed")
            .Select(x => (Type: "post." + x.State!.Status, x.Target.PostId, x.Target.AccountId))
            .ToList();
        var arrived = facts.Webhooks.Select(w => (Type: w.EventType, PostId: w.PostId ?? "", AccountId: w.AccountId ?? "")).ToHashSet();
        var missing = expected.Where(e => !arrived.Contains(e)).ToList();

        var byEvent = facts.Webhooks.GroupBy(w => w.EventId, StringComparer.Ordinal).ToList();
        var seqOf = facts.Deliveries.ToDictionary(d => d.Id, d => d.Seq, StringComparer.Ordinal);
        var violations = new List<string>();
        var highest = new Dictionary<string, (long Seq, string Id)>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var webhook in facts.Webhooks.OrderBy(w => w.Arrival))
        {
            if (webhook.DeliveryId is not { } id || !seen.Add(id) || !seqOf.TryGetValue(id, out var seq))
            {
                continue;
            }

            var resource = webhook.PostId is null && webhook.AccountId is null ? "event:" + webhook.EventId : $"{webhook.PostId}/{webhook.AccountId}";
            if (highest.TryGetValue(resource, out var before) && seq < before.Seq)
            {
                violations.Add($"{id} (seq {seq}, {webhook.EventType} {webhook.PostId}) first arrived at {webhook.ReceivedAt:HH:mm:ss.fff}, after {before.Id} (seq {before.Seq}) about the same resource");
            }
            else
            {
                highest[resource] = (seq, id);
            }
        }

        return new WebhookFigures(
            expected.Count,
            expected.Count - missing.Count,
            missing.Count,
            facts.Webhooks.Count,
            byEvent.Count,
            byEvent.Count(g => g.Count() > 1),
            violations.Count,
            facts.Webhooks.Count(w => !w.SignatureValid),
            facts.Deliveries.Count(d => d.Status != "delivered"),
            missing.Take(examples).Select(m => $"{m.Type} for {m.PostId}~{m.AccountId}").ToList(),
            violations.Take(examples).ToList());
    }
}
