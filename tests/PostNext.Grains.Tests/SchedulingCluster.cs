using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains;
using PostNext.Grains.Webhooks;
using PostNext.Storage;
using PostNext.Storage.Calendar;
using PostNext.Storage.Posts;
using PostNext.Storage.DataProtection;
using PostNext.Storage.Migrations;
using PostNext.Storage.Sandbox;

namespace PostNext.Grains.Tests;

/// <summary>
/// A real in-process Orleans cluster with the product's grains, on in-memory providers or on the PostgreSQL
/// providers (and our PostgreSQL tables). Short reminder periods so retries and restarts show within seconds.
/// </summary>
public sealed class SchedulingCluster : IAsyncDisposable
{
    private SchedulingCluster(InProcessTestCluster cluster, ICalendarStore calendar, ISandboxStore sandbox)
    {
        Cluster = cluster;
        Calendar = calendar;
        Sandbox = sandbox;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public ICalendarStore Calendar { get; }

    public ISandboxStore Sandbox { get; }

    public static Dictionary<string, string?> FastScheduling => new()
    {
        ["PostNext:Scheduling:SweepPeriod"] = "00:00:03",
        ["PostNext:Scheduling:SweepGrace"] = "00:00:02",
        ["PostNext:Scheduling:ReminderPeriod"] = "00:00:05",
        ["PostNext:Scheduling:LateAfter"] = "00:00:02",
        ["PostNext:Scheduling:RetryBaseDelay"] = "00:00:01",
        ["PostNext:Scheduling:ReconcileDelay"] = "00:00:01",
        // Posts due a few seconds ahead stay scheduled (and changeable) until a second before their time.
        ["PostNext:Scheduling:PrepareAhead"] = "00:00:01",
    };

    /// <summary>In-memory storage, reminders and tables (shared by the silos of this process); <paramref name="sandboxSeen"/> wraps the sandbox store the silos see (the cluster's <see cref="Sandbox"/> stays the store itself).</summary>
    public static async Task<SchedulingCluster> StartInMemoryAsync(
        short silos = 2, IDictionary<string, string?>? settings = null, StorageFaults? faults = null, Func<ISandboxStore, ISandboxStore>? sandboxSeen = null)
    {
        var calendar = new InMemoryCalendarStore();
        var posts = new InMemoryPostStore();
        var sandbox = new InMemorySandboxStore();
        var seen = sandboxSeen?.Invoke(sandbox) ?? sandbox;
        var all = FastScheduling;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var builder = NewBuilder(silos, Guid.NewGuid().ToString("N"), all, persistInPostgres: false);
        builder.ConfigureSilo((_, silo) =>
        {
            if (faults is null)
            {
                silo.UseInMemoryProviders();
                silo.Services.AddSingleton<ICalendarStore>(calendar);
                silo.Services.AddSingleton<IPostStore>(posts);
            }
            else
            {
                silo.UseFaultyInMemoryStorage(faults).UseInMemoryReminderService();
                silo.Services.AddSingleton<ICalendarStore>(new FaultyCalendarStore(calendar, faults));
                silo.Services.AddSingleton<IPostStore>(new FaultyPostStore(posts, faults));
            }

            silo.Services.AddSingleton(seen);
            silo.Services.AddPostNextDataProtection(persistInPostgres: false, null);
        });
        return await DeployAsync(builder, calendar, sandbox);
    }

    /// <summary>The Orleans ADO.NET providers and our tables on PostgreSQL; the same service id finds the same data after a restart.</summary>
    public static async Task<SchedulingCluster> StartOnPostgresAsync(string connectionString, string serviceId, short silos = 1, IDictionary<string, string?>? settings = null)
    {
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        }

        var shared = NpgsqlDataSource.Create(connectionString);
        var calendar = new PostgresCalendarStore(shared);
        var sandbox = new PostgresSandboxStore(shared);
        var all = FastScheduling;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var builder = NewBuilder(silos, serviceId, all, persistInPostgres: true);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UsePostgresProviders(connectionString);
            silo.Services.AddSingleton<ICalendarStore>(calendar);
            silo.Services.AddSingleton<IPostStore>(new PostgresPostStore(shared));
            silo.Services.AddSingleton<ISandboxStore>(sandbox);
            silo.Services.AddSingleton(shared);
            silo.Services.AddPostNextDataProtection(persistInPostgres: true, "grain-tests-key-ring-secret");
        });
        return await DeployAsync(builder, calendar, sandbox);
    }

    private static InProcessTestClusterBuilder NewBuilder(short silos, string serviceId, Dictionary<string, string?> settings, bool persistInPostgres)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.Services.AddPostNextGrains(configuration);
            silo.Services.AddPostNextWebhooks(configuration, persistInPostgres);
            silo.AddStartupTask(PostNext.Grains.Scheduling.SweeperStartup.StartInBackground);
            silo.Services.Configure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                o.RefreshReminderListPeriod = TimeSpan.FromSeconds(5);
                o.InitializationTimeout = TimeSpan.FromSeconds(30);
            });
        });
        return builder;
    }

    private static async Task<SchedulingCluster> DeployAsync(InProcessTestClusterBuilder builder, ICalendarStore calendar, ISandboxStore sandbox)
    {
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new SchedulingCluster(cluster, calendar, sandbox);
    }

    /// <summary>A workspace with n sandbox accounts.</summary>
    public async Task<(string Workspace, IReadOnlyList<string> Accounts)> CreateWorkspaceAsync(int accounts, SandboxBehaviour? behaviour = null, string timeZone = "UTC")
    {
        var ws = Ids.New(Ids.Workspace);
        await Client.GetGrain<IWorkspaceGrain>(ws).CreateAsync("test", timeZone);
        var ids = new List<string>();
        for (var i = 0; i < accounts; i++)
        {
            var id = Ids.New(Ids.Account);
            await Client.GetGrain<IAccountGrain>(id).ConnectAsync(new ConnectAccount(ws, "sandbox", $"acct{i}", null, null, behaviour));
            await Client.GetGrain<IWorkspaceGrain>(ws).AddAccountAsync(id);
            ids.Add(id);
        }

        return (ws, ids);
    }

    /// <summary>Creates a post due at the given time to the given accounts.</summary>
    public async Task<string> SchedulePostAsync(string workspace, IReadOnlyList<string> accounts, DateTimeOffset dueAt, string text = "hello")
    {
        var id = Ids.New(Ids.Post);
        var result = await Client.GetGrain<IPostGrain>(id).CreateAsync(new CreatePost(
            workspace, new PostContent(text, []), accounts.Select(a => new TargetSpec(a, "sandbox", null, dueAt)).ToList(),
            false, "UTC", "at", Guid.NewGuid().ToString("N")));
        Assert.Equal(PostOutcome.Created, result.Outcome);
        return id;
    }

    public async Task<PostView> WaitForPostAsync(string postId, Func<PostView, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var post = (await Client.GetGrain<IPostGrain>(postId).GetAsync())!;
            if (done(post))
            {
                return post;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Post {postId} did not get there in {timeout}: {post.Status}, targets {string.Join(", ", post.Targets.Select(t => t.Publication?.Status))}.");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
