using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PostNext.Storage.DataProtection;

public static class DataProtectionServiceCollectionExtensions
{
    public const string ApplicationName = "PostNext";

    /// <summary>
    /// Data Protection for tokens at rest. Cluster mode: one key ring in PostgreSQL for every silo, encrypted with the
    /// key-ring secret when one is given. Embedded mode: keys in memory (nothing is kept anyway).
    /// </summary>
    public static IServiceCollection AddPostNextDataProtection(this IServiceCollection services, bool persistInPostgres, string? keyRingSecret)
    {
        var builder = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (!persistInPostgres)
        {
            builder.UseEphemeralDataProtectionProvider();
            return services;
        }

        services.AddSingleton<PostgresXmlRepository>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = sp.GetRequiredService<PostgresXmlRepository>();
            if (sp.GetService<KeyRingSecret>() is { } secret)
            {
                options.XmlEncryptor = new KeyRingEncryptor(secret);
            }
        }));

        if (!string.IsNullOrWhiteSpace(keyRingSecret))
        {
            services.AddSingleton(new KeyRingSecret(keyRingSecret));
        }

        return services;
    }
}
