using System.Collections.Concurrent;
using System.Diagnostics;

namespace PostNext.Api.Tests.Observability;

/// <summary>One trace from the API request through the post and publication grains to the platform call.</summary>
[Collection(ApiCollection.Name)]
public sealed class TracingTests(ApiHost api)
{
    [Fact]
    public async Task A_publish_now_request_traces_through_the_grains_to_the_platform_call_with_the_ids_as_attributes()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "PostNext" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        // The caller's trace (W3C traceparent) is the parent of everything that follows.
        var trace = ActivityTraceId.CreateRandom();
        var traceparent = $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        var (_, _, postId) = await SandboxPublish.PublishNowAsync(api, new Dictionary<string, string> { ["traceparent"] = traceparent });

        var deadline = DateTime.UtcNow.AddSeconds(10);
        Activity? call;
        while ((call = stopped.FirstOrDefault(a => a.Source.Name == "PostNext" && a.TraceId == trace)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var inTrace = stopped.Where(a => a.TraceId == trace).ToList();
        Assert.True(call is not null, $"no platform call span in the trace; spans in it: {string.Join(", ", inTrace.Select(a => $"{a.Source.Name}:{a.DisplayName}"))}");
        Assert.Equal("publish sandbox", call.DisplayName);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(postId, call.GetTagItem("postnext.post.id"));
        Assert.StartsWith(postId, (string)call.GetTagItem("postnext.publication.id")!, StringComparison.Ordinal);
        Assert.Equal("success", call.GetTagItem("postnext.outcome"));

        Assert.Contains(inTrace, a => a.Source.Name == "Microsoft.AspNetCore");
        Assert.Contains(inTrace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("PostGrain", StringComparison.Ordinal));
        Assert.Contains(inTrace, a => a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && a.DisplayName.Contains("PublicationGrain", StringComparison.Ordinal));
    }
}
