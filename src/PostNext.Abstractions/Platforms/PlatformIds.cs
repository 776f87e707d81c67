namespace PostNext.Abstractions.Platforms;

/// <summary>The platform ids used in the API and configuration.</summary>
public static class PlatformIds
{
    public const string Sandbox = "sandbox";
    public const string Instagram = "instagram";
    public const string TikTok = "tiktok";
    public const string X = "x";
    public const string LinkedIn = "linkedin";
    public const string YouTube = "youtube";
    public const string Facebook = "facebook";

    /// <summary>Every platform id, sandbox first.</summary>
    public static readonly IReadOnlyList<string> All = [Sandbox, Instagram, TikTok, X, LinkedIn, YouTube, Facebook];

    public static bool IsKnown(string? id) => id is not null && All.Contains(id, StringComparer.Ordinal);
}
