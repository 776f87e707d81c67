using Microsoft.AspNetCore.Http;

namespace PostNext.Web.Components.Shared;

/// <summary>A one-time message for the next page after an action redirects (post, redirect, get): a short-lived cookie.</summary>
public static class Flash
{
    private const string CookieName = "PostNext.Flash";

    public static void Set(HttpContext http, string kind, string text) =>
        http.Response.Cookies.Append(CookieName, $"{kind}|{text}", new CookieOptions
        {
            Path = "/app", HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromMinutes(1), IsEssential = true,
        });

    /// <summary>The message, read once.</summary>
    public static (string Kind, string Text)? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || value.Split('|', 2) is not [var kind, var text])
        {
            return null;
        }

        if (!http.Response.HasStarted)
        {
            http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/app" });
        }

        return (kind is "error" ? "error" : "ok", text.Length > 2000 ? text[..2000] : text);
    }
}
