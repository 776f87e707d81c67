using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PostNext.Storage.DataProtection;

public static class DataProtectionServiceCollectionExtensions
{
    public const string ApplicationName = "PostNext";

    /// <summary>Secrets the key ring may still be encrypted with during a rotation (an array: <c>PostNext__PreviousKeyRingSecrets__0</c>, …).</summary>
    public const string PreviousSecretsSetting = "PostNext:PreviousKeyRingSecrets";

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
            // The previous secrets (a rotation under way) decrypt; the current one encrypts, and silos re-encrypt at start.
            services.AddSingleton(sp => new KeyRingSecret(
                keyRingSecret, sp.GetService<IConfiguration>()?.GetSection(PreviousSecretsSetting).Get<string[]>()));
            services.AddHostedService<KeyRingRotationService>();
        }

        return services;
    }
}
