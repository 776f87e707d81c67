using PostNext.Abstractions.Analytics;

namespace PostNext.Grains.Analytics;

/// <summary>
/// The healthy engagement rate (interactions ÷ followers) for an account's size: 3–5 % up to 10K followers, 1–3 % from
/// 100K, and in between both ends move down linearly in log10(followers) (so 31,623 followers, half-way in log scale,
/// is healthy at 2–4 %).
/// </summary>
public static class HealthBands
{
    public const long SmallAccount = 10_000;
    public const long LargeAccount = 100_000;

    /// <summary>The healthy range in percent (low, high) for an account of this many followers.</summary>
    public static (double Low, double High) HealthyRange(long followers)
    {
        if (followers <= SmallAccount)
        {
            return (3, 5);
        }

        if (followers >= LargeAccount)
        {
            return (1, 3);
        }

        var t = (Math.Log10(followers) - Math.Log10(SmallAccount)) / (Math.Log10(LargeAccount) - Math.Log10(SmallAccount));
        return (3 - 2 * t, 5 - 2 * t);
    }

    /// <summary>The band and where an engagement rate (percent) falls in it; null without followers or a rate.</summary>
    public static HealthBand? For(long? followers, double? rate)
    {
        if (followers is not > 0 || rate is not { } r)
        {
            return null;
        }

        var (low, high) = HealthyRange(followers.Value);
        var level = r < low ? HealthLevel.Below : r > high ? HealthLevel.Above : HealthLevel.Healthy;
        return new HealthBand(followers.Value, Math.Round(low, 4), Math.Round(high, 4), level);
    }
}
