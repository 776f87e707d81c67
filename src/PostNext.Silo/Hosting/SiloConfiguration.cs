using System.Net;
using Orleans.Configuration;
using Orleans.Dashboard;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.ServiceDefaults;
using PostNext.ServiceDefaults.Configuration;
using PostNext.Storage;
using PostNext.Storage.DataProtection;
using PostNext.Grains;
using PostNext.Grains.Webhooks;

namespace PostNext.Silo.Hosting;

/// <summary>The Orleans silo: embedded (localhost, in-memory) or a PostgreSQL cluster member, chosen by configuration.</summary>
public static class SiloConfiguration
{
    /// <summary>The ADO.NET invariant name of Npgsql.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>The secret that encrypts the Data Protection key ring in cluster mode.</summary>
    public const string KeyRingSecretSetting = "PostNext:KeyRingSecret";

    public static WebApplicationBuilder AddPostNextSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var mode = RunModes.FromConfiguration(configuration);
        var settings = configuration.GetSection(PostNextOptions.SectionName).Get<PostNextOptions>() ?? new PostNextOptions();

        if (mode == RunMode.Cluster && settings.MigrateOnStartup)
        {
            builder.Services.AddHostedService<MigrateOnStartup>();
        }

        if (mode == RunMode.Cluster)
        {
            builder.Services.AddPostNextPostgresStores();
            var keyRingSecret = configuration[KeyRingSecretSetting];
            if (string.IsNullOrWhiteSpace(keyRingSecret) || keyRingSecret.Trim().Length < KeyRingSecret.MinimumLength)
            {
                throw new InvalidOperationException(
                    $"Cluster mode encrypts account tokens with a key ring kept in PostgreSQL, itself encrypted: set {KeyRingSecretSetting} " +
                    $"(environment PostNext__KeyRingSecret) to a secret of at least {KeyRingSecret.MinimumLength} characters, the same on every silo.");
            }

            builder.Services.AddPostNextDataProtection(persistInPostgres: true, keyRingSecret.Trim());
        }
        else
        {
            builder.Services.AddPostNextInMemoryStores();
            builder.Services.AddPostNextDataProtection(persistInPostgres: false, null);
        }

        builder.Services.AddPostNextGrains(configuration);
        builder.Services.AddPostNextWebhooks(configuration, persistInPostgres: mode == RunMode.Cluster);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.Cluster.ClusterId;
                options.ServiceId = settings.Cluster.ServiceId;
            });

            if (mode == RunMode.Embedded)
            {
                ConfigureEmbedded(silo, settings.Cluster);
            }
            else
            {
                ConfigureCluster(silo, settings.Cluster, RunModes.ConnectionString(configuration)!);
                if (settings.Cluster.Kubernetes)
                {
                    // Pod name, namespace and IP from the downward API (POD_NAME, POD_NAMESPACE, POD_IP; the cluster
                    // and service ids from ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID), and a watch on the namespace's pods.
                    silo.UseKubernetesHosting();
                }
            }

            // Grain calls carry the caller's trace (W3C trace context); spans are made only when someone listens.
            silo.AddActivityPropagation();
            silo.AddDashboard(options => builder.Environment.ConfigureDashboard(options, settings.Dashboard));
            BoundDirectoryCache(silo);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloReadiness>();
            AllowConfiguredReminderPeriods(silo, configuration);
            ReadGrainStateIntoNewObjects(silo);
            silo.AddStartupTask(PostNext.Grains.Scheduling.SweeperStartup.StartInBackground);
        });

        return builder;
    }

    /// <summary>
    /// The grain directory cache keeps an entry for every grain looked up, up to Orleans' default of a million, long
    /// after the activation is gone; and the dashboard's counters count its entries one by one every period. After
    /// a million posts were created that walk cost 18 % of a core at rest. A cache of <see cref="DirectoryCacheSize"/>
    /// entries still holds every activation a silo talks to at once.
    /// </summary>
    private static void BoundDirectoryCache(ISiloBuilder silo) =>
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = Math.Min(o.CacheSize, DirectoryCacheSize));

    /// <summary>Entries of the grain directory cache at most (<see cref="BoundDirectoryCache"/>).</summary>
    public const int DirectoryCacheSize = 100_000;

    /// <summary>
    /// Orleans refuses reminder periods under its minimum (1 minute); a shorter configured scheduling period (tests,
    /// demos) lowers that minimum to match. Orleans logs that such periods are not meant for production.
    /// </summary>
    private static void AllowConfiguredReminderPeriods(ISiloBuilder silo, IConfiguration configuration)
    {
        var scheduling = configuration.GetSection(PostNext.Grains.Scheduling.SchedulingOptions.SectionName).Get<PostNext.Grains.Scheduling.SchedulingOptions>() ?? new PostNext.Grains.Scheduling.SchedulingOptions();
        if (scheduling.ReminderPeriod < TimeSpan.FromMinutes(1))
        {
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = scheduling.ReminderPeriod);
        }
    }

    /// <summary>
    /// Grain state is stored as JSON (Json.NET). Its default fills a property's existing object in place: a state whose
    /// default is a shared instance (a post's empty content) had that one instance overwritten by every read, and every
    /// state read from storage then showed the content read last, across workspaces. Read objects are always new.
    /// </summary>
    private static void ReadGrainStateIntoNewObjects(ISiloBuilder silo) =>
        silo.Services.Configure<Orleans.Serialization.OrleansJsonSerializerOptions>(o =>
            o.JsonSerializerSettings.ObjectCreationHandling = Newtonsoft.Json.ObjectCreationHandling.Replace);

    private static void ConfigureEmbedded(ISiloBuilder silo, ClusterSettings cluster)
    {
        silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
        silo.AddMemoryGrainStorage(StorageNames.Grains);
        silo.UseInMemoryReminderService();
    }

    private static void ConfigureCluster(ISiloBuilder silo, ClusterSettings cluster, string given)
    {
        var connectionString = PostgresConnectionStrings.WithDefaults(given);
        if (cluster.AdvertisedIPAddress is { Length: > 0 } advertised)
        {
            if (!IPAddress.TryParse(advertised, out var address))
            {
                throw new InvalidOperationException($"PostNext:Cluster:AdvertisedIPAddress '{advertised}' is not an IP address.");
            }

            silo.ConfigureEndpoints(address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(StorageNames.Grains, options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
            options.DeleteStateOnClear = true;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = NpgsqlInvariant;
            options.ConnectionString = connectionString;
        });
        silo.Configure<ReminderOptions>(o => o.RefreshReminderListPeriod = ReminderTableRefresh);
    }

    /// <summary>
    /// How often each silo re-reads its share of the reminder table (Orleans' default: 5 minutes). A silo whose first
    /// read fails (PostgreSQL restarting while it starts) tries again only on this period, and until then refuses every
    /// reminder registration in its range and fires none of its reminders: publishing in its share of the due buckets
    /// stalled for five minutes. The table holds a few rows per hour of schedule (due buckets × shards), so a read a
    /// minute costs little.
    /// </summary>
    public static readonly TimeSpan ReminderTableRefresh = TimeSpan.FromMinutes(1);
}
