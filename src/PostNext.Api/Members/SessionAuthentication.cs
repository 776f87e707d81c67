using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PostNext.ServiceDefaults.Configuration;
using PostNext.ServiceDefaults.Security;
using PostNext.Storage;

namespace PostNext.Api.Members;

/// <summary>
/// People's sessions beside the API keys. The default scheme picks per request: an <c>Authorization</c> header is a
/// key's (operator or workspace), else the <see cref="SessionDefaults.Scheme"/> cookie is a person's. The cookie is
/// HttpOnly, SameSite=Lax, Secure over HTTPS, and every state-changing <c>/v1</c> call it authenticates must carry a
/// valid antiforgery token in <see cref="SessionDefaults.AntiforgeryHeader"/>.
/// </summary>
public static class SessionAuthentication
{
    public static IServiceCollection AddPostNextSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemberOptions>().Bind(configuration.GetSection(MemberOptions.SectionName))
            .Validate(o => !o.Problems().Any(), $"Invalid {MemberOptions.SectionName} settings: lifetimes and windows must be positive, caps at least 1.")
            .ValidateOnStart();
        services.AddPostNextMemberStore(postgres: RunModes.FromConfiguration(configuration) == RunMode.Cluster);
        services.AddSingleton<Passwords>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<MemberSessions>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = SessionDefaults.AntiforgeryHeader;
            o.Cookie.Name = SessionDefaults.AntiforgeryCookie;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        var idle = configuration.GetSection(MemberOptions.SectionName).Get<MemberOptions>()?.SessionIdleTimeout ?? new MemberOptions().SessionIdleTimeout;
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SessionDefaults.KeyOrSessionScheme;
                o.DefaultChallengeScheme = SessionDefaults.KeyOrSessionScheme;
                o.DefaultForbidScheme = SessionDefaults.KeyOrSessionScheme;
            })
            .AddPolicyScheme(SessionDefaults.KeyOrSessionScheme, "API key or session cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(SessionDefaults.Scheme)
                    ? SessionDefaults.Scheme
                    : ApiKeyDefaults.Scheme)
            .AddCookie(SessionDefaults.Scheme, o =>
            {
                o.Cookie.Name = SessionDefaults.Scheme;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = idle;
                o.SlidingExpiration = true;
                o.LoginPath = SessionDefaults.SignInPath;
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<MemberSessions>().ValidateAsync(context),
                    OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                        "The session has ended or is not valid any more: sign in again (POST /v1/auth/sign-in)."),
                    OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden, "Forbidden",
                        "Your role in this workspace may not use this resource."),
                };
            });
        services.AddAuthorizationBuilder().AddPolicy(SessionDefaults.Scheme, policy =>
            policy.AddAuthenticationSchemes(SessionDefaults.Scheme).RequireClaim(SessionDefaults.UserClaim));
        return services;
    }

    /// <summary>
    /// Refuses a state-changing <c>/v1</c> call authenticated by the session cookie without a valid antiforgery token
    /// (403). Anonymous routes (sign-in, accepting an invitation) read only JSON bodies, which no cross-site form can send.
    /// </summary>
    public static IApplicationBuilder UsePostNextSessionAntiforgery(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (NeedsAntiforgery(context) &&
                !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Antiforgery token missing or invalid",
                        detail: $"A request signed in by the session cookie that changes something needs the header {SessionDefaults.AntiforgeryHeader} " +
                                "with the antiforgery token of GET /v1/auth/session (or of the sign-in answer).")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static bool NeedsAntiforgery(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1") &&
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) ||
          HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method)) &&
        context.User.HasClaim(c => c.Type == SessionDefaults.UserClaim) &&
        context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null;

    private static Task ApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status, string title, string detail)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context.HttpContext);
    }
}
