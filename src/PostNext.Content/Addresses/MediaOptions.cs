namespace PostNext.Content.Addresses;

/// <summary>How post media is downloaded for platforms that take bytes (X, LinkedIn, TikTok video, YouTube), under <c>PostNext:Media</c>.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "PostNext:Media";

    /// <summary>
    /// Allow media on loopback, private, link-local and other non-public addresses. For tests and on-premise media
    /// hosts only: with it, a workspace key can make the silos fetch anything on their network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Largest image accepted; the download stops as soon as it passes this.</summary>
    public long MaxImageBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest video accepted; the download stops as soon as it passes this.</summary>
    public long MaxVideoBytes { get; set; } = 1L << 30;

    /// <summary>Redirects followed per download (each target is checked like the first).</summary>
    public int MaxRedirects { get; set; } = 3;

    /// <summary>Time limit of one download, redirects included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}
