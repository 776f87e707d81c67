using System.Globalization;
using PostNext.Abstractions.Platforms;

namespace PostNext.Api.Http;

/// <summary>The query parameters the list endpoints share, each checked the same way; a bad one is added to the request's errors.</summary>
public static class QueryParameters
{
    /// <summary>An enum value as the API spells it; null when absent or bad.</summary>
    public static TEnum? Enum<TEnum>(string? text, string field, RequestErrors errors)
        where TEnum : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        if (ApiNames.TryParse<TEnum>(text, out var parsed))
        {
            return parsed;
        }

        errors.Add(field, $"{field} must be one of: {ApiNames.All<TEnum>()}.");
        return null;
    }

    /// <summary>A known platform id, or absent.</summary>
    public static void Platform(string? platform, RequestErrors errors)
    {
        if (platform is not null && !PlatformIds.IsKnown(platform))
        {
            errors.Add("platform", $"Unknown platform; use one of: {string.Join(", ", PlatformIds.All)}.");
        }
    }

    /// <summary>A page size from 1 to <paramref name="max"/>; <paramref name="defaultLimit"/> when absent.</summary>
    public static int Limit(string? text, int defaultLimit, int max, RequestErrors errors)
    {
        if (text is null)
        {
            return defaultLimit;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 && size <= max)
        {
            return size;
        }

        errors.Add("limit", $"limit must be an integer from 1 to {max}.");
        return defaultLimit;
    }

    /// <summary>A cursor decoded by <paramref name="decode"/>; null when absent or not one this API issued.</summary>
    public static T? Cursor<T>(string? text, Func<string, T?> decode, RequestErrors errors)
        where T : class
    {
        if (text is null)
        {
            return null;
        }

        var cursor = decode(text);
        if (cursor is null)
        {
            errors.Add("cursor", "The cursor is not one this API issued.");
        }

        return cursor;
    }
}
