using FsCheck;
using FsCheck.Fluent;

namespace PostNext.Api.Tests.Fuzz;

/// <summary>Small generators the request generator is built from: weighted choice, lists, and hostile values.</summary>
public static class Hostile
{
    /// <summary>Strings that break naive code: Unicode edge cases, NUL, control characters, injection shapes, and sizes.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "a", "\uD800", "x\uDC00y", "\uDBFF\uDBFF", "👩‍👩‍👧‍👦", "🏳️‍🌈", "\u202Eevil\u202C", "\u200F\u200E", "a\u0000b", "\u0000",
        "\r\n\r\nX-Injected: 1", "\t\v\f", "e\u0301\u0301\u0301", "ǅ", "İı", "ﬀ", "\uFEFF", "\uFFFF", "<script>alert(1)</script>", "'; DROP TABLE x; --",
        "../../etc/passwd", "%00", "%2e%2e%2f", "{{7*7}}", "${jndi:ldap://127.0.0.1:9/x}", "null", "true", "0", "-1", "1e309", "NaN",
        "http://127.0.0.1:9/x", "https://[::1]/x", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "javascript:alert(1)",
        new string('a', 300), new string('é', 5_000), string.Concat(Enumerable.Repeat("👍", 20_000)), string.Concat(Enumerable.Repeat("\u0301", 10_000)),
    ];

    public static readonly double[] Numbers =
    [
        0, -0.0, 1, -1, 0.5, 59, 60, 61, 100, 101, 1000, 10_000, 10_001, 120_000, 120_001, 3600, 3601,
        int.MaxValue, int.MinValue, 2147483648d, long.MaxValue, long.MinValue, 9007199254740993d, 1e308, -1e308, double.Epsilon,
    ];

    public static readonly string[] Instants =
    [
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2026-02-29T10:00:00Z", "2028-02-29T10:00:00+14:00",
        "2026-03-29T02:30:00", "2026-13-45T25:61:00Z", "2026-06-01", "yesterday", "2026-06-01T10:00:00.9999999999Z", "+275760-09-13T00:00:00Z",
    ];

    /// <summary>A choice weighted by the first item of each pair.</summary>
    public static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        return Gen.Choose(0, total - 1).SelectMany(n =>
        {
            foreach (var (weight, gen) in choices)
            {
                if (n < weight)
                {
                    return gen;
                }

                n -= weight;
            }

            return choices[^1].Gen;
        });
    }

    /// <summary>Exactly <paramref name="count"/> values.</summary>
    public static Gen<List<T>> ListOf<T>(int count, Gen<T> gen) =>
        count <= 0
            ? Gen.Constant(new List<T>())
            : gen.SelectMany(head => ListOf(count - 1, gen).Select(tail => { tail.Insert(0, head); return tail; }));

    public static Gen<string> String => Gen.Elements(Strings);

    /// <summary>
    /// Hostile strings that still fit in a request line: the server refuses request lines over 8 KiB itself (414, at
    /// the protocol level, before any of our code), so longer ones test nothing of ours.
    /// </summary>
    public static Gen<string> UrlSafeString => Gen.Elements(Strings.Where(FitsInUrl).ToArray());

    public static bool FitsInUrl(string? value) => value is null || Uri.EscapeDataString(value).Length <= 2_000;

    public static Gen<double> Number => Weighted((4, Gen.Elements(Numbers)), (1, Gen.Choose(-1000, 1000).Select(i => (double)i)));

    public static Gen<string> Instant => Weighted(
        (3, Gen.Elements(Instants)),
        (2, Gen.Choose(-3 * 24 * 60, 30 * 24 * 60).Select(m => DateTimeOffset.UtcNow.AddMinutes(m).ToString("O"))));

    /// <summary>A value of another JSON kind than expected.</summary>
    public static Gen<Json> AnyJson(int depth) => Weighted(
        (2, String.Select(s => (Json)new JsonString(s))),
        (2, Number.Select(n => (Json)new JsonNumber(n))),
        (1, Gen.Elements<Json>(Json.Null, new JsonRaw("true"), new JsonRaw("false"), new JsonList([]), new JsonFields([]))),
        (depth > 0 ? 1 : 0, Gen.Constant(0).SelectMany(_ => AnyJson(depth - 1)).Select(inner => (Json)new JsonList([inner]))),
        (depth > 0 ? 1 : 0, Gen.Constant(0).SelectMany(_ => AnyJson(depth - 1)).Select(inner => (Json)new JsonFields([new("a", inner)]))));

    /// <summary>Bodies that are not the JSON the route expects at all.</summary>
    public static Gen<string> BrokenBody => Gen.Elements(
        "{", "[1,2", "{\"a\":}", "{'a':1}", "nul", "\u0000", "{\"a\":1}{\"b\":2}", "{\"a\":1,}", "NaN", "1e99999", "\"\\uD800\"", "{\"a\":\"\\x\"}",
        string.Concat(Enumerable.Repeat("[", 5_000)) + string.Concat(Enumerable.Repeat("]", 5_000)),
        string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + string.Concat(Enumerable.Repeat("}", 2_000)),
        "{\"text\":\"" + new string('x', 70_000) + "\"}",
        "{\"a\":1,\"a\":2}", "[]", "{}", "\"text\"", "12", "true");
}
