using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using PostNext.Api.Contracts;
using PostNext.Content.Rules;
using PostNext.Web.Api;
using PostNext.Web.Components.Shared;
using PostNext.Web.Session;

namespace PostNext.Web.Composer;

/// <summary>The composer's live preview: the page's script posts the form as it changes and swaps in this fragment.</summary>
public static class ComposerPreviewEndpoint
{
    public const string Path = "/app/compose/preview";

    public static IEndpointRouteBuilder MapComposerPreview(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, async (HttpContext http, InProcessApi api, PlatformLimitsCatalog catalog, IFormCollection form) =>
        {
            var accounts = await api.SendAsync<AccountListResponse>(Member.From(http.User)!, "ListAccounts");
            var previews = PlatformPreview.For(ComposerForm.Read(form), accounts.Value?.Accounts ?? [], catalog);
            return new RazorComponentResult<PreviewPanel>(new { Previews = previews });
        }).RequireAuthorization(Member.MemberPolicy).ExcludeFromDescription();
        return endpoints;
    }
}
