using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PostNext.Api.Apis;
using PostNext.Api.Http;
using PostNext.Api.Members;
using PostNext.Api.Posts;
using PostNext.Content.Addresses;
using PostNext.Content.Media;
using Microsoft.Extensions.Options;
using PostNext.Content.Rules;
using PostNext.ServiceDefaults.Security;
using Scalar.AspNetCore;

namespace PostNext.Api;

/// <summary>The single place that says what the HTTP API registers and maps.</summary>
public static class ApiExtensions
{
    public static IServiceCollection AddPostNextApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddAuthorizationBuilder().AddPolicy(WorkspaceAccess.AnyKeyPolicy, policy =>
            policy.RequireRole(ApiKeyDefaults.OperatorRole, ApiKeyDefaults.WorkspaceRole, SessionDefaults.MemberRole));
        services.AddPostNextSessions(configuration);
        services.AddSingleton<IBootstrapLinkIssuer, DevelopmentBootstrap>();
        services.AddSingleton<IWorkspaceKeyResolver, WorkspaceKeyResolver>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(PlatformLimitsCatalog.FromConfiguration(configuration));
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.SectionName));
        services.TryAddSingleton(sp => MediaInspector.Create(sp.GetRequiredService<IOptions<MediaOptions>>().Value));
        services.TryAddSingleton<MediaChecker>();
        services.AddSingleton<PostRequestReader>();

        services.AddHttpContextAccessor();
        services.AddOpenApi("v1", options => options.AddPostNextDocumentation());
        return services;
    }

    public static IEndpointRouteBuilder MapPostNextApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        endpoints.MapScalarApiReference("/docs", options => options.WithTitle("PostNext API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        endpoints.MapClusterApi();
        endpoints.MapWorkspacesApi();
        endpoints.MapAccountsApi();
        endpoints.MapPostsApi();
        endpoints.MapCalendarApi();
        endpoints.MapAnalyticsApi();
        endpoints.MapOAuthApi();
        endpoints.MapConnectChoiceApi();
        endpoints.MapWebhooksApi();
        endpoints.MapAuthApi();
        endpoints.MapMembersApi();
        return endpoints;
    }
}
