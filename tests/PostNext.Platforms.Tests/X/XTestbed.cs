using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.X;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.X;

/// <summary>A running <see cref="FakeXApi"/> and the connector built against it exactly as the silo builds it.</summary>
public sealed class XTestbed : IAsyncDisposable
{
    private XTestbed(FakeXApi api, XConnector connector)
    {
        Api = api;
        Connector = connector;
    }

    public FakeXApi Api { get; }

    public XConnector Connector { get; }

    public PublishingIdentity Account { get; } = ConnectorHarness.Identity(PlatformIds.X, FakeXApi.UserId, FakeXApi.Username);

    public MemoryJournal Journal { get; } = new();

    /// <summary>Starts the fake and the connector; <paramref name="requestTimeout"/> is the HTTP client's per-call timeout.</summary>
    public static async Task<XTestbed> StartAsync(TimeProvider? time = null, TimeSpan? requestTimeout = null, int? chunkSize = null)
    {
        var api = await FakeXApi.StartAsync();
        var defaults = XConnector.Defaults;
        defaults.RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10);
        var settings = new Dictionary<string, string?>();
        if (chunkSize is { } size)
        {
            settings["PostNext:Platforms:x:ChunkSizeBytes"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var connector = ConnectorHarness.Create<XConnector>(
            PlatformIds.X, defaults, api.Server, (services, config) => services.AddConnector<XConnector>(config, PlatformIds.X, defaults), time, settings);
        return new XTestbed(api, connector);
    }

    /// <summary>A first attempt: no checkpoints yet, a journal to save them.</summary>
    public PublishRequest Publish(PostContent content, PublishingIdentity? account = null) =>
        new("pub-x-1", "attempt-1", account ?? Account, content, null, Journal);

    /// <summary>The reconciliation request: the same publication with the checkpoints the attempt saved.</summary>
    public PublishRequest Reconcile(PostContent content) =>
        new("pub-x-1", "attempt-1", Account, content, new Dictionary<string, string>(Journal.Saved), Journal);

    public IReadOnlyList<RecordedRequest> Requests(string method, string pathPrefix) =>
        [.. Api.Server.Requests.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];

    public static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nActual   {actual}");

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
