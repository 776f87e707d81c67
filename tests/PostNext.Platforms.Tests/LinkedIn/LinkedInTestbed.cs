using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Tests.Common;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>A running <see cref="FakeLinkedInApi"/> and the connector built against it exactly as the silo builds it.</summary>
public sealed class LinkedInTestbed : IAsyncDisposable
{
    private LinkedInTestbed(FakeLinkedInApi api, LinkedInConnector connector)
    {
        Api = api;
        Connector = connector;
    }

    public FakeLinkedInApi Api { get; }

    public LinkedInConnector Connector { get; }

    /// <summary>The connected member (author urn:li:person:{sub}).</summary>
    public PublishingIdentity Member { get; } = ConnectorHarness.Identity(PlatformIds.LinkedIn, FakeLinkedInApi.MemberUrn, FakeLinkedInApi.MemberName);

    /// <summary>A Company Page the member administers.</summary>
    public PublishingIdentity Organization { get; } = ConnectorHarness.Identity(PlatformIds.LinkedIn, FakeLinkedInApi.OrganizationUrn, "PostNext Inc.");

    public MemoryJournal Journal { get; } = new();

    /// <summary>Starts the fake and the connector; <paramref name="requestTimeout"/> is the HTTP client's per-call timeout.</summary>
    public static async Task<LinkedInTestbed> StartAsync(
        TimeProvider? time = null, TimeSpan? requestTimeout = null, string? apiVersion = null, IReadOnlyList<string>? scopes = null)
    {
        var api = await FakeLinkedInApi.StartAsync();
        var defaults = LinkedInConnector.Defaults;
        defaults.RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10);
        var settings = new Dictionary<string, string?>();
        if (apiVersion is not null)
        {
            settings["PostNext:Platforms:linkedin:ApiVersion"] = apiVersion;
        }

        if (scopes is not null)
        {
            defaults.Scopes = [.. scopes];
        }

        var connector = ConnectorHarness.Create<LinkedInConnector>(
            PlatformIds.LinkedIn, defaults, api.Server, (services, config) => services.AddConnector<LinkedInConnector>(config, PlatformIds.LinkedIn, defaults), time, settings);
        return new LinkedInTestbed(api, connector);
    }

    /// <summary>A first attempt: no checkpoints yet, a journal to save them.</summary>
    public PublishRequest Publish(PostContent content, PublishingIdentity? account = null) =>
        new("pub-li-1", "attempt-1", account ?? Member, content, null, Journal);

    /// <summary>The reconciliation request: the same publication with the checkpoints the attempt saved.</summary>
    public PublishRequest Reconcile(PostContent content, PublishingIdentity? account = null) =>
        new("pub-li-1", "attempt-1", account ?? Member, content, new Dictionary<string, string>(Journal.Saved), Journal);

    public IReadOnlyList<RecordedRequest> Requests(string method, string pathPrefix) =>
        [.. Api.Server.Requests.Where(r => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];

    /// <summary>Every /rest call carries the bearer and LinkedIn's version headers.</summary>
    public static void AssertRestHeaders(RecordedRequest request, string version = LinkedInConnector.DefaultApiVersion)
    {
        Assert.Equal("Bearer access-token-1", request.Header("Authorization"));
        Assert.Equal(version, request.Header("LinkedIn-Version"));
        Assert.Equal("2.0.0", request.Header("X-Restli-Protocol-Version"));
    }

    public static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nActual   {actual}");

    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
