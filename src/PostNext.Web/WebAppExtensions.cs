using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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
        services.AddAntiforgery(o => o.Cookie.Name = "PostNext.Antiforgery");
        services.AddAuthentication().AddCookie(Member.Scheme, o =>
        {
            o.Cookie.Name = Member.Scheme;
            o.Cookie.Path = BasePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = SignInEndpoints.SignInPath;
            o.LogoutPath = SignInEndpoints.SignOutPath;
            o.AccessDeniedPath = SignInEndpoints.SignInPath;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder().AddPolicy(Member.MemberPolicy, policy => policy
            .AddAuthenticationSchemes(Member.Scheme)
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
