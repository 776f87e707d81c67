using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms;
using PostNext.Platforms.Common;
using PostNext.Storage.Sandbox;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.Common;

/// <summary>
/// Builds a connector exactly as the silo does (named options, named HTTP client with its resilience pipeline),
/// with every platform URL pointed at a loopback fake and a test client id/secret.
/// </summary>
public static class ConnectorHarness
{
    public const string ClientId = "test-client-id";
    public const string ClientSecret = "test-client-secret";

    /// <summary>
    /// The connector for <paramref name="platform"/>, registered with <paramref name="register"/> (the same call the
    /// silo makes), its URLs rebased onto <paramref name="fake"/>: each default URL keeps its path, on the fake's host.
    /// </summary>
    public static TConnector Create<TConnector>(
        string platform, PlatformOptions defaults, FakePlatformServer fake,
        Action<IServiceCollection, IConfiguration> register, TimeProvider? time = null,
        IDictionary<string, string?>? extraSettings = null)
        where TConnector : class, IPlatformConnector
    {
        var settings = new Dictionary<string, string?>
        {
            [$"PostNext:Platforms:{platform}:ClientId"] = ClientId,
            [$"PostNext:Platforms:{platform}:ClientSecret"] = ClientSecret,
            [$"PostNext:Platforms:{platform}:PollInterval"] = "00:00:00.050",
            ["PostNext:Media:AllowPrivateNetworks"] = "true", // the fakes serve media on loopback
        };
        foreach (var (name, url) in new[]
                 {
                     ("ApiBaseUrl", defaults.ApiBaseUrl), ("UploadBaseUrl", defaults.UploadBaseUrl), ("AuthorizeUrl", defaults.AuthorizeUrl),
                     ("TokenUrl", defaults.TokenUrl), ("RevokeUrl", defaults.RevokeUrl),
                 })
        {
            if (url is not null)
            {
                settings[$"PostNext:Platforms:{platform}:{name}"] = Rebase(url, fake).ToString();
            }
        }

        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<ISandboxStore, InMemorySandboxStore>();
        services.AddPostNextPlatforms(configuration);
        register(services, configuration);
        var provider = services.BuildServiceProvider();
        return provider.GetServices<IPlatformConnector>().OfType<TConnector>().First();
    }

    /// <summary>The same path on the fake's host (so /2/tweets on api.x.com becomes /2/tweets on the fake).</summary>
    public static Uri Rebase(Uri real, FakePlatformServer fake) => new(fake.BaseUrl, real.PathAndQuery.TrimStart('/'));

    /// <summary>An identity with an access token, as the account grain hands it to a connector.</summary>
    public static PublishingIdentity Identity(string platform, string externalId, string handle, string token = "access-token-1") =>
        new("acc" + new string('0', 20), platform, externalId, handle, AccountStatus.Connected, null, new Secret(token));

    public static FakeTimeProvider FakeTime() => new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Command-line settings (PostNext:Platforms:&lt;id&gt;:…) for a host whose connector reaches <paramref name="fake"/>, as an operator would set them to reach a proxy: each default URL keeps its path on the
    /// fake's host (exactly as <see cref="Rebase"/> maps them in the connector tests).
    /// </summary>
    public static IEnumerable<string> HostArguments(string platform, PlatformOptions defaults, FakePlatformServer fake)
    {
        var prefix = $"--{PlatformOptions.SectionPrefix}:{platform}:";
        yield return $"{prefix}ClientId={ClientId}";
        yield return $"{prefix}ClientSecret={ClientSecret}";
        yield return $"{prefix}PollInterval=00:00:00.050";
        yield return $"{prefix}RequestTimeout=00:00:10";
        foreach (var (name, url) in new[]
                 {
                     ("ApiBaseUrl", defaults.ApiBaseUrl), ("UploadBaseUrl", defaults.UploadBaseUrl), ("AuthorizeUrl", defaults.AuthorizeUrl),
                     ("TokenUrl", defaults.TokenUrl), ("RevokeUrl", defaults.RevokeUrl),
                 })
        {
            if (url is not null)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{prefix}{name}={Rebase(url, fake)}");
            }
        }
    }
}

/// <summary>A journal that keeps checkpoints in memory, as the publication grain would persist them.</summary>
public sealed class MemoryJournal : IPublishJournal
{
    public Dictionary<string, string> Saved { get; } = [];

    public Task SaveAsync(string key, string value)
    {
        Saved[key] = value;
        return Task.CompletedTask;
    }
}
