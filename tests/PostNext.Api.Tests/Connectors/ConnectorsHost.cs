using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Common;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Instagram;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.Instagram;
using PostNext.Platforms.Tests.LinkedIn;
using PostNext.Platforms.Tests.TikTok;
using PostNext.Platforms.Tests.X;
using PostNext.Platforms.Tests.YouTube;
using PostNext.Platforms.TikTok;
using PostNext.Platforms.X;
using PostNext.Platforms.YouTube;
using PostNext.Silo.Hosting;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// The six platform fakes on loopback and an embedded host whose connectors all point at them (every default URL
/// rebased onto its fake, the test client id and secret, short poll intervals). Tests drive it only over HTTP and read
/// what each fake received.
/// </summary>
public sealed class ConnectorsHost : IAsyncLifetime
{
    public const string OperatorKey = "connectors-tests-operator-key";

    private RunningHost _host = null!;

    public FakeXApi X { get; private set; } = null!;

    public FakeLinkedInApi LinkedIn { get; private set; } = null!;

    public FakeFacebookApi Facebook { get; private set; } = null!;

    public FakeInstagramApi Instagram { get; private set; } = null!;

    public FakeTikTokApi TikTok { get; private set; } = null!;

    public FakeYouTubeApi YouTube { get; private set; } = null!;

    public ConnectorsApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        X = await FakeXApi.StartAsync();
        LinkedIn = await FakeLinkedInApi.StartAsync();
        Facebook = await FakeFacebookApi.StartAsync();
        Instagram = await FakeInstagramApi.StartAsync();
        TikTok = await FakeTikTokApi.StartAsync();
        YouTube = await FakeYouTubeApi.StartAsync();
        _host = await StartHostAsync();
        Api = new ConnectorsApi(_host.Http);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        foreach (var fake in new IAsyncDisposable[] { X, LinkedIn, Facebook, Instagram, TikTok, YouTube })
        {
            await fake.DisposeAsync();
        }
    }

    /// <summary>Another embedded host wired to the same fakes, with <paramref name="extraSettings"/> (e.g. a short state lifetime).</summary>
    public async Task<RunningHost> StartHostAsync(params string[] extraSettings)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--PostNext:Scheduling:ReminderPeriod=00:01:00",
            "--PostNext:ApiRateLimit:PermitsPerMinute=600000",
            "--PostNext:ApiRateLimit:Burst=100000",
            "--PostNext:Media:AllowPrivateNetworks=true", // the fakes serve media on loopback
            "--Logging:LogLevel:Default=Warning",
            .. PlatformSettings(PlatformIds.X, XConnector.Defaults, X.Server),
            .. PlatformSettings(PlatformIds.LinkedIn, LinkedInConnector.Defaults, LinkedIn.Server),
            .. PlatformSettings(PlatformIds.Facebook, FacebookConnector.Defaults, Facebook.Server),
            .. PlatformSettings(PlatformIds.Instagram, InstagramConnector.Defaults, Instagram.Server),
            .. PlatformSettings(PlatformIds.TikTok, TikTokConnector.Defaults, TikTok.Server),
            .. PlatformSettings(PlatformIds.YouTube, YouTubeConnector.Defaults, YouTube.Server),
            .. extraSettings,
        ];
        return await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
    }

    /// <summary>
    /// An embedded host with only X wired, to <paramref name="x"/> (for a test that scripts a fake of its own), with
    /// 5-second reminder periods, 1-second retries and <paramref name="extraSettings"/>.
    /// </summary>
    public static async Task<RunningHost> StartXHostAsync(FakeXApi x, params string[] extraSettings)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--PostNext:Scheduling:ReminderPeriod=00:00:05",
            "--PostNext:Scheduling:RetryBaseDelay=00:00:01",
            "--PostNext:ApiRateLimit:PermitsPerMinute=600000",
            "--PostNext:ApiRateLimit:Burst=100000",
            "--PostNext:Media:AllowPrivateNetworks=true", // the fakes serve media on loopback
            "--Logging:LogLevel:Default=Warning",
            .. PlatformSettings(PlatformIds.X, XConnector.Defaults, x.Server),
            .. extraSettings,
        ];
        return await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
    }

    internal static IEnumerable<string> PlatformSettings(string platform, PlatformOptions defaults, FakePlatformServer fake) =>
        ConnectorHarness.HostArguments(platform, defaults, fake);

}

[CollectionDefinition(Name)]
public sealed class ConnectorsCollection : ICollectionFixture<ConnectorsHost>
{
    public const string Name = "Connectors";
}
