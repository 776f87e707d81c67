using System.Net;
using PostNext.Platforms.Common;
using PostNext.Platforms.Meta;
using static PostNext.Platforms.Tests.Meta.MetaFake;

namespace PostNext.Platforms.Tests.Meta;

/// <summary>Meta's error envelope and the codes Facebook and Instagram share, read into the taxonomy.</summary>
public sealed class MetaErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_graph_envelope_is_read_whole()
    {
        var error = MetaGraphError.Parse(ErrorJson("Invalid parameter", 100, 1609008, transient: false, userTitle: "Can't post", userMessage: "Links to facebook.com are not allowed."))!;

        Assert.Equal(("Invalid parameter", "OAuthException", 100, 1609008, false), (error.Message, error.Type, error.Code, error.Subcode, error.IsTransient));
        Assert.Equal("100/1609008", error.PlatformCode);
        Assert.Equal("Facebook: Invalid parameter — Can't post: Links to facebook.com are not allowed. (code 100/1609008, fbtrace_id AbCdEfGh123)", error.Describe("Facebook"));
    }

    [Fact]
    public void The_instagram_token_endpoints_flat_shape_is_read_too()
    {
        var error = MetaGraphError.Parse("""{"error_type":"OAuthException","code":400,"error_message":"Invalid authorization code"}""")!;

        Assert.Equal(("Invalid authorization code", "OAuthException", 400, (int?)null), (error.Message, error.Type, error.Code, error.Subcode));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("""{"data":[]}""")]
    public void Anything_else_is_not_an_envelope(string body) => Assert.Null(MetaGraphError.Parse(body));

    [Theory]
    [InlineData(190, null, 400, false, ErrorCategory.Auth)]
    [InlineData(100, 460, 400, false, ErrorCategory.Auth)]
    [InlineData(102, null, 400, false, ErrorCategory.Auth)]
    [InlineData(10, null, 403, false, ErrorCategory.Auth)]
    [InlineData(294, null, 403, false, ErrorCategory.Auth)]
    [InlineData(4, null, 400, true, ErrorCategory.RateLimited)]
    [InlineData(17, null, 400, false, ErrorCategory.RateLimited)]
    [InlineData(32, null, 400, false, ErrorCategory.RateLimited)]
    [InlineData(613, null, 400, false, ErrorCategory.RateLimited)]
    [InlineData(80014, null, 400, false, ErrorCategory.RateLimited)]
    [InlineData(506, null, 400, false, ErrorCategory.Duplicate)]
    [InlineData(1, null, 500, false, ErrorCategory.Transient)]
    [InlineData(2, null, 503, true, ErrorCategory.Transient)]
    [InlineData(100, 33, 400, true, ErrorCategory.Transient)]
    [InlineData(100, 2207005, 502, false, ErrorCategory.Transient)]
    [InlineData(100, 2061006, 400, false, ErrorCategory.InvalidContent)]
    [InlineData(368, 1346003, 400, false, ErrorCategory.InvalidContent)]
    public void Meta_codes_map_into_the_taxonomy(int code, int? subcode, int status, bool transient, ErrorCategory expected)
    {
        var error = MetaGraphError.Parse(ErrorJson("message", code, subcode, transient: transient))!;

        Assert.Equal(expected, MetaErrors.Classify("Facebook", error, status, Headers(), Now).Category);
    }

    [Fact]
    public void A_throttle_lasts_as_long_as_the_business_use_case_header_says()
    {
        var headers = Headers(("X-Business-Use-Case-Usage", """{"1010":[{"type":"pages","call_count":97,"total_cputime":12,"total_time":9,"estimated_time_to_regain_access":5}]}"""));

        var result = MetaErrors.Classify("Facebook", MetaGraphError.Parse(ErrorJson("limit", 80001))!, 400, headers, Now);

        Assert.Equal(Now.AddMinutes(5), result.RetryAfter);
    }

    [Fact]
    public void A_spent_app_budget_without_a_regain_time_waits_an_hour()
    {
        var headers = Headers(("X-App-Usage", """{"call_count":100,"total_cputime":40,"total_time":35}"""));

        var result = MetaErrors.Classify("Facebook", MetaGraphError.Parse(ErrorJson("limit", 4))!, 400, headers, Now);

        Assert.Equal((ErrorCategory.RateLimited, Now.AddHours(1)), (result.Category, result.RetryAfter));
    }

    [Fact]
    public void The_platforms_own_codes_come_first()
    {
        var error = MetaGraphError.Parse(ErrorJson("These photos were already posted.", 100, 1366051))!;
        var own = new PlatformError(ErrorCategory.Duplicate, "dup");

        Assert.Same(own, MetaErrors.Classify("Facebook", error, 400, Headers(), Now, e => e.Subcode == 1366051 ? own : null));
        Assert.Equal(ErrorCategory.InvalidContent, MetaErrors.Classify("Facebook", error, 400, Headers(), Now).Category);
    }

    private static System.Net.Http.Headers.HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.BadRequest);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response.Headers;
    }
}
