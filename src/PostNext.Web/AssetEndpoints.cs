using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PostNext.Web;

/// <summary>The app's stylesheet and script, embedded in the assembly and served at <c>/app/assets/{name}</c> (no CDN, no build step).</summary>
public static class AssetEndpoints
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType, string ETag)> Assets = Load();

    public static IEndpointRouteBuilder MapAppAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/app/assets/{name}", (HttpContext http, string name) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=300";
            if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            http.Response.Headers.ETag = asset.ETag;
            return Results.Bytes(asset.Bytes, asset.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static Dictionary<string, (byte[], string, string)> Load()
    {
        const string prefix = "PostNext.Web.Assets.";
        var assembly = typeof(AssetEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[prefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = (bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }

        return assets;
    }
}
