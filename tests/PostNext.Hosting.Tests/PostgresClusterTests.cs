using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using PostNext.Api.Apis;
using PostNext.Hosting.Tests.Probes;

namespace PostNext.Hosting.Tests;

/// <summary>The real silo and front hosts on a private PostgreSQL: state and reminders survive a full restart, silos form one cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Grain_state_survives_a_full_cluster_restart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var cluster = "restart-" + Guid.NewGuid().ToString("N")[..8];

        await using (var silo = await ClusterHosts.StartSiloAsync(database, cluster))
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IProbeGrain>("a").IncrementAsync();
            await grains.GetGrain<IProbeGrain>("a").IncrementAsync();
            await grains.GetGrain<IProbeGrain>("b").IncrementAsync();
        }

        await using (var silo = await ClusterHosts.StartSiloAsync(database, cluster))
        {
            var grains = silo.Services.GetRequiredService<IGrainFactory>();
            Assert.Equal(2, (await grains.GetGrain<IProbeGrain>("a").GetAsync()).Count);
            Assert.Equal(1, (await grains.GetGrain<IProbeGrain>("b").GetAsync()).Count);
            Assert.Equal(3, await grains.GetGrain<IProbeGrain>("a").IncrementAsync());
        }
    }

    [Fact]
    public async Task A_reminder_registered_before_a_full_cluster_restart_fires_after_it()
    {
        var database = await postgres.CreateDatabaseAsync();
        var cluster = "reminder-" + Guid.NewGuid().ToString("N")[..8];

        await using (var silo = await ClusterHosts.StartSiloAsync(database, cluster))
        {
            await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("r").ScheduleTickAsync(TimeSpan.FromSeconds(12));
        }

        await using (var silo = await ClusterHosts.StartSiloAsync(database, cluster))
        {
            var probe = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("r");
            Assert.Equal(0, (await probe.GetAsync()).Ticks);
            var after = await Eventually.UntilAsync(probe.GetAsync, s => s.Ticks > 0, TimeSpan.FromSeconds(60), "the reminder to tick");
            Assert.Equal(1, after.Ticks);
        }
    }

    [Fact]
    public async Task A_silo_that_starts_while_its_reminder_table_cannot_be_read_takes_reminders_within_a_minute_once_it_can()
    {
        // PostgreSQL restarting just as a silo starts: the silo's first reads of the reminder table fail. Orleans then
        // reads again only on its refresh period (5 minutes by default), refusing every registration in its range until
        // then; a due bucket or a webhook in that range stalled for minutes (issue #7's chaos run in CI).
        var database = await postgres.CreateDatabaseAsync();
        var cluster = "reminder-late-" + Guid.NewGuid().ToString("N")[..8];
        await using (await ClusterHosts.StartSiloAsync(database, cluster))
        {
            // The schema is in place.
        }

        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await Execute(connection, "ALTER TABLE orleans_reminder RENAME TO orleans_reminder_away");
        await using var silo = await ClusterHosts.StartSiloAsync(database, cluster);

        // Orleans retries its first read once within 30 s; both attempts fail.
        await Task.Delay(TimeSpan.FromSeconds(32));
        await Execute(connection, "ALTER TABLE orleans_reminder_away RENAME TO orleans_reminder");
        var back = DateTime.UtcNow;

        var probe = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProbeGrain>("late");
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await probe.ScheduleTickAsync(TimeSpan.FromSeconds(1));
                    return true;
                }
                catch (OrleansException)
                {
                    return false; // "Reminder Service is still initializing"
                }
            },
            registered => registered,
            TimeSpan.FromSeconds(75),
            "a reminder registration to be taken");
        Assert.True(DateTime.UtcNow - back < TimeSpan.FromSeconds(80), $"took {DateTime.UtcNow - back} after the table came back");
    }

    private static async Task Execute(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Two_silos_and_the_api_front_form_one_cluster_that_outlives_a_silo()
    {
        var database = await postgres.CreateDatabaseAsync();
        var cluster = "pair-" + Guid.NewGuid().ToString("N")[..8];

        await using var first = await ClusterHosts.StartSiloAsync(database, cluster);
        await using var second = await ClusterHosts.StartSiloAsync(database, cluster);
        await using var front = await ClusterHosts.StartFrontAsync(database, cluster);

        var view = await Eventually.UntilAsync(
            async () => (await (await front.Http.SendAsync(ClusterHosts.Get("/v1/cluster"))).Content.ReadFromJsonAsync<ClusterView>())!,
            v => v.ActiveSilos == 2, TimeSpan.FromSeconds(30), "both silos to be active");
        Assert.Equal(2, view.Silos.Count);

        var client = front.Services.GetRequiredService<IClusterClient>();
        var placements = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.GetGrain<IProbeGrain>($"spread-{i}").WhereAmIAsync()));
        Assert.Equal(2, placements.Distinct().Count());

        await first.StopAsync();

        var afterStop = await Eventually.UntilAsync(
            async () => (await (await front.Http.SendAsync(ClusterHosts.Get("/v1/cluster"))).Content.ReadFromJsonAsync<ClusterView>())!,
            v => v.ActiveSilos == 1, TimeSpan.FromSeconds(60), "the stopped silo to leave");
        Assert.Single(afterStop.Silos, s => s.Status == "Active");

        var survivors = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.GetGrain<IProbeGrain>($"spread-{i}").IncrementAsync()));
        Assert.All(survivors, count => Assert.Equal(1, count));
        Assert.Equal(HttpStatusCode.OK, (await front.Http.SendAsync(ClusterHosts.Get("/health/ready", null))).StatusCode);
    }

    [Fact]
    public async Task Readiness_checks_postgresql_in_cluster_mode()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var silo = await ClusterHosts.StartSiloAsync(database, "ready-" + Guid.NewGuid().ToString("N")[..8]);

        var response = await silo.Http.SendAsync(ClusterHosts.Get("/health/ready", null));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("postgresql", body, StringComparison.Ordinal);
    }
}
