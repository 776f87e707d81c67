using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostNext.Api.Members;
using PostNext.Web.Api;
using PostNext.Web.Components;
using PostNext.Web.Composer;
using PostNext.Web.Session;

namespace PostNext.Web;

/// <summary>The single place that says what the web app at <c>/app</c> registers and maps.</summary>
public static class WebAppExtensions
{
    public const string BasePath = "/app";

    public static IServiceCollection AddPostNextWeb(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // The session cookie and the antiforgery settings are the members layer's (AddPostNextSessions): one scheme,
        // one antiforgery cookie; the app's forms send the token as a form field, API calls in the X-CSRF-TOKEN header.
        services.AddAntiforgery();
        services.AddAuthorizationBuilder().AddPolicy(Member.MemberPolicy, policy => policy
            .AddAuthenticationSchemes(SessionDefaults.Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(Member.RoleClaim, Member.Owner, Member.Editor, Member.Viewer));
        services.AddCascadingAuthenticationState();
        services.AddSingleton<InProcessApi>();
        return services;
    }

    /// <summary>Antiforgery for the app's forms, then its pages, assets, sign-in and live preview. Call after the API is mapped.</summary>
    public static WebApplication MapPostNextWeb(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapGet(BasePath, () => Results.Redirect(BasePath + "/calendar")).ExcludeFromDescription().AllowAnonymous();
        app.MapAppAssets();
        app.MapSignIn();
        app.MapAppActions();
        app.MapComposerPreview();
        app.MapRazorComponents<App>().ExcludeFromDescription();
        return app;
    }
}
