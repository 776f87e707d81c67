namespace PostNext.Platforms.Common;

/// <summary>
/// One platform's app registration and endpoints, under <c>PostNext:Platforms:&lt;id&gt;</c>. The URLs default to the
/// real platform; pointing them elsewhere (a proxy, a test double) needs no code change.
/// </summary>
public sealed class PlatformOptions
{
    public const string SectionPrefix = "PostNext:Platforms";

    /// <summary>The app's client id (TikTok: client key). Without it the platform cannot be connected.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's client secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Base of the platform's REST API, e.g. https://api.x.com/.</summary>
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>Base for uploads where the platform uses another host (YouTube), else the API base.</summary>
    public Uri? UploadBaseUrl { get; set; }

    /// <summary>The OAuth authorization page.</summary>
    public Uri? AuthorizeUrl { get; set; }

    /// <summary>The OAuth token endpoint.</summary>
    public Uri? TokenUrl { get; set; }

    /// <summary>The OAuth revocation endpoint, where the platform has one.</summary>
    public Uri? RevokeUrl { get; set; }

    /// <summary>Scopes requested when connecting.</summary>
    public string[] Scopes { get; set; } = [];

    /// <summary>A version the platform wants on every call (LinkedIn-Version, Graph API version).</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Timeout of one HTTP call (uploads of large videos override it per request).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often to poll a processing upload or container.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for processing before the outcome counts as unknown (reconciled later).</summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Upload chunk size for chunked/resumable uploads.</summary>
    public int ChunkSizeBytes { get; set; } = 4 * 1024 * 1024;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>A copy with the fields configuration set layered over these defaults.</summary>
    public PlatformOptions Clone() => (PlatformOptions)MemberwiseClone();
}
