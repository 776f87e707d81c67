using PostNext.Abstractions.Diagnostics;

namespace PostNext.Grains.Tests.Observability;

/// <summary>Tag pairs as the tests ask for them, and the check that no measurement carries anything but low-cardinality tags.</summary>
internal static class InstrumentTags
{
    private static readonly HashSet<string> LowCardinality =
    [
        PostNextTelemetry.PlatformTag, PostNextTelemetry.OutcomeTag, PostNextTelemetry.ReasonTag, PostNextTelemetry.OperationTag,
        PostNextTelemetry.ModeTag, PostNextTelemetry.EventTypeTag, PostNextTelemetry.ErrorTypeTag,
    ];

    public static (string, string) Platform(string value) => (PostNextTelemetry.PlatformTag, value);

    public static (string, string) Outcome(string value) => (PostNextTelemetry.OutcomeTag, value);

    public static (string, string) Reason(string value) => (PostNextTelemetry.ReasonTag, value);

    public static (string, string) Operation(string value) => (PostNextTelemetry.OperationTag, value);

    public static (string, string) ErrorType(string value) => (PostNextTelemetry.ErrorTypeTag, value);

    /// <summary>Every measurement so far has only our low-cardinality tag names, and none of the given ids in a value.</summary>
    public static void AssertNoIds(RecordedMeasurements recorded, params string[] ids)
    {
        foreach (var measurement in recorded.All)
        {
            Assert.All(measurement.Tags.Keys, key => Assert.Contains(key, LowCardinality));
            Assert.All(measurement.Tags.Values, value => Assert.DoesNotContain(ids, id => value?.Contains(id, StringComparison.Ordinal) == true));
        }
    }
}
