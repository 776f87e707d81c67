using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PostNext.ServiceDefaults.Health;
using PostNext.ServiceDefaults.Security;
using PostNext.Silo.Hosting;

namespace PostNext.Hosting.Tests;

/// <summary>The default, one-process host: health, dashboard behind the operator key, API docs.</summary>
public sealed class EmbeddedHostTests : IAsyncLifetime
{
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await ClusterHosts.StartEmbeddedAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private string DevelopmentKey => _host.Services.GetRequiredService<OperatorKey>().Value;

    [Fact]
    public async Task Answers_liveness_and_readiness()
    {
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("health/live")).StatusCode);
        var ready = await _host.Http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain("postgresql", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Generates_a_development_operator_key_when_none_is_configured()
    {
        var key = _host.Services.GetRequiredService<OperatorKey>();
        Assert.True(key.IsGenerated);
        Assert.StartsWith("dev-", key.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_dashboard_only_with_the_operator_key()
    {
        var anonymous = await _host.Http.GetAsync("dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic");

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "dashboard/");
        wrong.Headers.Authorization = Basic("not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(wrong)).StatusCode);

        using var browser = new HttpRequestMessage(HttpMethod.Get, "dashboard/");
        browser.Headers.Authorization = Basic(DevelopmentKey);
        var page = await _host.Http.SendAsync(browser);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Operator_api_needs_the_operator_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Http.SendAsync(ClusterHosts.Get("/v1/cluster", null))).StatusCode);
        var wrong = await _host.Http.SendAsync(ClusterHosts.Get("/v1/cluster", "wrong-key-wrong-key"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);

        var ok = await _host.Http.SendAsync(ClusterHosts.Get("/v1/cluster", DevelopmentKey));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("\"activeSilos\":1", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishes_the_openapi_document_and_the_reference_page()
    {
        var document = await _host.Http.GetStringAsync("openapi/v1.json");
        Assert.Contains("\"GetCluster\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/dashboard", document, StringComparison.Ordinal);
        var docs = await _host.Http.GetAsync("docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public void Readiness_turns_false_as_soon_as_shutdown_begins()
    {
        var readiness = _host.Services.GetRequiredService<Readiness>();
        Assert.True(readiness.IsReady);

        _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.False(readiness.IsReady);
    }

    private static AuthenticationHeaderValue Basic(string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("operator:" + password)));
}

public sealed class ConfigurationTests
{
    [Fact]
    public void Cluster_mode_refuses_to_start_without_an_operator_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SiloHost.CreateBuilder(["--ConnectionStrings:PostNext=Host=127.0.0.1;Database=none"]));
        Assert.Contains("PostNext__OperatorKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_operator_key_replaces_the_development_key()
    {
        var builder = SiloHost.CreateBuilder(["--PostNext:OperatorKey=my-own-operator-key-123"]);
        using var app = builder.Build();
        var key = app.Services.GetRequiredService<OperatorKey>();
        Assert.False(key.IsGenerated);
        Assert.True(key.Matches("my-own-operator-key-123"));
    }

    [Fact]
    public void The_api_front_needs_cluster_mode()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PostNext.Front.FrontHost.CreateBuilder([]));
        Assert.Contains("ConnectionStrings:PostNext", error.Message, StringComparison.Ordinal);
    }
}
