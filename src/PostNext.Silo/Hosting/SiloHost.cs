using PostNext.Api;
using PostNext.Web;
using PostNext.Api.Members;
using PostNext.ServiceDefaults;

namespace PostNext.Silo.Hosting;

/// <summary>Builds the silo web host; <c>Program</c> and the tests start it the same way.</summary>
public static class SiloHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddPostNextDefaults();
        builder.AddPostNextSilo();
        builder.Services.AddPostNextApi(builder.Configuration);
        builder.Services.AddPostNextWeb();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UsePostNextDefaults();
        app.UsePostNextSessionAntiforgery();
        app.MapPostNextApi();
        app.MapPostNextWeb();
        return app;
    }
}
