using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains.Analytics;
using PostNext.Platforms;
using PostNext.Platforms.Sandbox;
using PostNext.Storage.Analytics;
using PostNext.Storage.Calendar;
using PostNext.Storage.Posts;
using PostNext.Storage.DataProtection;
using PostNext.Storage.Migrations;
using PostNext.Storage.Sandbox;

namespace PostNext.Grains.Tests.Analytics;

/// <summary>
/// A one-silo cluster whose analytics grains and sandbox platform read a fake clock, so weeks of collection run in
/// seconds through the real grains, connector and snapshot store; Orleans itself keeps real time.
/// </summary>
public sealed class AnalyticsCluster : IAsyncDisposable
{
    private AnalyticsCluster(InProcessTestCluster cluster, FakeTimeProvider time, IMetricsStore metrics, ICalendarStore calendar)
    {
        Cluster = cluster;
        Time = time;
        Metrics = metrics;
        Calendar = calendar;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public FakeTimeProvider Time { get; }

    public IMetricsStore Metrics { get; }

    public ICalendarStore Calendar { get; }

    public static Task<AnalyticsCluster> StartInMemoryAsync(DateTimeOffset start, IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(start);
        var metrics = new InMemoryMetricsStore();
        var calendar = new InMemoryCalendarStore();
        var builder = NewBuilder(Guid.NewGuid().ToString("N"), time, new InMemorySandboxStore(), settings);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryProviders();
            silo.Services.AddSingleton<ICalendarStore>(calendar);
            silo.Services.AddSingleton<IPostStore>(new InMemoryPostStore());
            silo.Services.AddSingleton<IMetricsStore>(metrics);
            silo.Services.AddPostNextDataProtection(persistInPostgres: false, null);
        });
        return DeployAsync(builder, time, metrics, calendar);
    }

    /// <summary>The Orleans ADO.NET providers and our tables on PostgreSQL: the same service id finds the same data after a restart.</summary>
    public static async Task<AnalyticsCluster> StartOnPostgresAsync(string connectionString, string serviceId, FakeTimeProvider time)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        }

        var shared = NpgsqlDataSource.Create(connectionString);
        var metrics = new PostgresMetricsStore(shared);
        var calendar = new PostgresCalendarStore(shared);
        var builder = NewBuilder(serviceId, time, new PostgresSandboxStore(shared), null);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UsePostgresProviders(connectionString);
            silo.Services.AddSingleton(shared);
            silo.Services.AddSingleton<ICalendarStore>(calendar);
            silo.Services.AddSingleton<IPostStore>(new PostgresPostStore(shared));
            silo.Services.AddSingleton<IMetricsStore>(metrics);
            silo.Services.AddPostNextDataProtection(persistInPostgres: true, "grain-tests-key-ring-secret");
        });
        return await DeployAsync(builder, time, metrics, calendar);
    }

    private static InProcessTestClusterBuilder NewBuilder(string serviceId, FakeTimeProvider time, ISandboxStore sandbox, IDictionary<string, string?>? settings)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
            silo.Services.AddSingleton(new AnalyticsClock(time));
            silo.Services.AddSingleton(sandbox);
            silo.Services.AddPostNextGrains(configuration);

            // The sandbox reads metrics at the fake time too, so "an hour after publishing" means the same to both.
            silo.Services.Remove(silo.Services.Single(d => d.ServiceType == typeof(IPlatformConnector) && d.ImplementationType == typeof(SandboxConnector)));
            silo.Services.AddSingleton<IPlatformConnector>(new SandboxConnector(sandbox, time));
            silo.Services.Configure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                o.InitializationTimeout = TimeSpan.FromSeconds(30);
            });
        });
        return builder;
    }

    private static async Task<AnalyticsCluster> DeployAsync(InProcessTestClusterBuilder builder, FakeTimeProvider time, IMetricsStore metrics, ICalendarStore calendar)
    {
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new AnalyticsCluster(cluster, time, metrics, calendar);
    }

    /// <summary>A workspace in <paramref name="timeZone"/> with one sandbox account behaving as given.</summary>
    public async Task<(string Workspace, string Account)> CreateAccountAsync(string timeZone, SandboxBehaviour? behaviour = null)
    {
        var ws = Ids.New(Ids.Workspace);
        await Client.GetGrain<IWorkspaceGrain>(ws).CreateAsync("analytics", timeZone);
        var account = Ids.New(Ids.Account);
        await Client.GetGrain<IAccountGrain>(account).ConnectAsync(new ConnectAccount(ws, "sandbox", "creator", null, null, behaviour));
        await Client.GetGrain<IWorkspaceGrain>(ws).AddAccountAsync(account);
        return (ws, account);
    }

    /// <summary>A post as the publication grain hands it over once published.</summary>
    public static TrackPost Published(string ws, string account, DateTimeOffset at, string text = "hello", params MediaItem[] media) =>
        new(ws, Ids.New(Ids.Post), account, "sandbox", "sbx" + Guid.NewGuid().ToString("N")[..16], at, new PostContent(text, media));

    /// <summary>
    /// Plays the posts out in time order: each is started at its publishing time, and every reading it schedules is
    /// collected at its due time (the clock is moved there), until <paramref name="until"/>. Returns the publication keys.
    /// </summary>
    public async Task<IReadOnlyList<string>> PlayAsync(IEnumerable<TrackPost> posts, DateTimeOffset until)
    {
        var queue = new PriorityQueue<(string Key, TrackPost? Start), DateTimeOffset>();
        var keys = new List<string>();
        foreach (var post in posts)
        {
            var key = PublicationKey.For(post.PostId, post.AccountId);
            keys.Add(key);
            queue.Enqueue((key, post), post.PublishedAt);
        }

        while (queue.TryDequeue(out var item, out var at) && at <= until)
        {
            if (at > Time.GetUtcNow())
            {
                Time.SetUtcNow(at);
            }

            var grain = Client.GetGrain<IPostMetricsGrain>(item.Key);
            var progress = item.Start is { } start ? await grain.StartAsync(start) : await grain.CollectDueAsync();
            if (progress.NextReadingAt is { } next)
            {
                queue.Enqueue((item.Key, null), next);
            }
        }

        if (until > Time.GetUtcNow())
        {
            Time.SetUtcNow(until);
        }

        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
