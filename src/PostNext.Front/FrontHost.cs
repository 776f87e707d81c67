using Orleans.Configuration;
using Orleans.Dashboard;
using PostNext.Api;
using PostNext.Web;
using PostNext.Api.Members;
using PostNext.ServiceDefaults;
using PostNext.ServiceDefaults.Configuration;
using PostNext.ServiceDefaults.Health;

namespace PostNext.Front;

/// <summary>
/// The standalone API front: an Orleans client that finds the silos through the PostgreSQL membership table and
/// serves the same HTTP API and dashboard as a silo. It needs cluster mode.
/// </summary>
public static class FrontHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (RunModes.FromConfiguration(builder.Configuration) != RunMode.Cluster)
        {
            throw new InvalidOperationException(
                $"The API front joins a PostgreSQL cluster: set ConnectionStrings:{RunModes.ConnectionStringName}. " +
                "For a single process with everything in it, run src/PostNext.Silo instead.");
        }

        builder.AddPostNextDefaults();
        var settings = builder.Configuration.GetSection(PostNextOptions.SectionName).Get<PostNextOptions>() ?? new PostNextOptions();
        var connectionString = RunModes.ConnectionString(builder.Configuration)!;

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.Cluster.ClusterId;
                options.ServiceId = settings.Cluster.ServiceId;
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            client.UseConnectionRetryFilter<ConnectUntilDeadline>();
            client.AddActivityPropagation();
            client.AddDashboard(options => builder.Environment.ConfigureDashboard(options, settings.Dashboard));
        });

        builder.Services.AddHostedService<ClientReadiness>();
        builder.Services.AddPostNextApi(builder.Configuration);
        builder.Services.AddPostNextWeb();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UsePostNextDefaults();
        app.UsePostNextSessionAntiforgery();
        app.MapPostNextApi();
        app.MapPostNextWeb();
        return app;
    }

    /// <summary>Keeps retrying the first connection for a while, so a front started with its silos comes up.</summary>
    private sealed class ConnectUntilDeadline : IClientConnectionRetryFilter
    {
        private readonly DateTime _deadline = DateTime.UtcNow.AddMinutes(2);

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            if (DateTime.UtcNow > _deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return true;
        }
    }

    /// <summary>The client's hosted service has connected by the time the application has started.</summary>
    private sealed class ClientReadiness(Readiness readiness, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(readiness.MarkReady);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
