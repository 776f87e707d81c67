using System.Diagnostics.CodeAnalysis;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Which of a webhook's pending deliveries may be sent next, so that several go out at once while each resource's
/// events stay in order (<see cref="WebhookOrdering"/>): a delivery is ready when it is due and every earlier pending
/// delivery of its resource has been delivered or given up in this pass. While one of a resource is in flight, the
/// resource's next waits; one that stays pending after its attempt (its receiver refused it) holds back the rest of its
/// resource until a later pass. Oldest ready first. Built from one bounded read of the pending deliveries; no I/O.
/// </summary>
public sealed class WebhookLanes
{
    private readonly WebhookDelivery[] _pending;
    private readonly DateTimeOffset _now;
    private readonly string[] _resources;
    private readonly Dictionary<string, Queue<int>> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly SortedSet<int> _ready = [];

    /// <param name="pending">Pending deliveries, oldest first.</param>
    /// <param name="now">A delivery whose next attempt is after this is not ready (<see cref="DateTimeOffset.MaxValue"/>: all are).</param>
    public WebhookLanes(IReadOnlyList<WebhookDelivery> pending, DateTimeOffset now)
    {
        _pending = [.. pending];
        _now = now;
        _resources = new string[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            var resource = _resources[i] = WebhookOrdering.ResourceOf(pending[i]);
            if (!_lanes.TryGetValue(resource, out var lane))
            {
                _lanes[resource] = lane = new Queue<int>();
            }

            lane.Enqueue(i);
        }

        foreach (var lane in _lanes.Values)
        {
            Offer(lane.Peek());
        }
    }

    /// <summary>Takes the oldest ready delivery (its resource now waits for it); false when none is ready.</summary>
    public bool TryTake([NotNullWhen(true)] out WebhookDelivery? delivery)
    {
        if (_ready.Count == 0)
        {
            delivery = null;
            return false;
        }

        var index = _ready.Min;
        _ready.Remove(index);
        delivery = _pending[index];
        _inFlight[delivery.Id] = index;
        return true;
    }

    /// <summary>
    /// The earliest next attempt among the deliveries that head their resource (null when none is left): until then
    /// nothing here can be sent, whatever else is due behind them.
    /// </summary>
    public DateTimeOffset? NextReadyAt => _lanes.Values.Where(lane => lane.Count > 0).Min(lane => _pending[lane.Peek()].NextAttemptAt);

    /// <summary>
    /// A taken delivery's attempt is over (<paramref name="attempted"/> is its row after it): once it is no longer
    /// pending (delivered or given up), the next of its resource is ready.
    /// </summary>
    public void Complete(WebhookDelivery attempted)
    {
        if (!_inFlight.Remove(attempted.Id, out var index))
        {
            return;
        }

        _pending[index] = attempted;
        if (attempted.Status == WebhookDeliveryStatus.Pending)
        {
            return;
        }

        var lane = _lanes[_resources[index]];
        lane.Dequeue();
        if (lane.Count > 0)
        {
            Offer(lane.Peek());
        }
    }

    private void Offer(int index)
    {
        if (_pending[index].NextAttemptAt <= _now)
        {
            _ready.Add(index);
        }
    }
}
