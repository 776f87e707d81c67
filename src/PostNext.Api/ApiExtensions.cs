using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostNext.Api.Apis;
using Scalar.AspNetCore;

namespace PostNext.Api;

/// <summary>The single place that says what the HTTP API registers and maps.</summary>
public static class ApiExtensions
{
    public static IServiceCollection AddPostNextApi(this IServiceCollection services)
    {
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "PostNext API";
            document.Info.Description = "Schedule once, publish everywhere. Authenticate with 'Authorization: Bearer <key>'.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapPostNextApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        endpoints.MapScalarApiReference("/docs", options => options.WithTitle("PostNext API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        endpoints.MapClusterApi();
        return endpoints;
    }
}
