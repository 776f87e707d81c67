using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using PostNext.Platforms;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.Common;

/// <summary>What every connector's contract tests need: form and JSON comparisons, a browser's consent redirect.</summary>
public static class ContractHelpers
{
    public static Dictionary<string, string> Form(string body) =>
        QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString());

    public static Dictionary<string, string> Form(RecordedRequest request) => Form(request.Body);

    public static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nActual   {actual}");

    /// <summary>Follows the authorize URL as a browser would after consent and returns the code from the redirect to <paramref name="callback"/>.</summary>
    public static async Task<string> ConsentAsync(Uri authorizeUrl, Uri callback)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(callback.AbsoluteUri, response.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        return QueryHelpers.ParseQuery(response.Headers.Location.Query)["code"].ToString();
    }
}

/// <summary>A journal that also records what the platform had received when each checkpoint was saved (checkpoints must precede their step).</summary>
public sealed class RecordingJournal(FakePlatformServer server) : IPublishJournal
{
    private readonly Dictionary<string, int> _requestsBefore = [];

    public Dictionary<string, string> Saved { get; } = [];

    public Dictionary<string, IReadOnlyList<RecordedRequest>> RequestsWhenSaved { get; } = [];

    public int RequestsBefore(string key) => _requestsBefore[key];

    public Task SaveAsync(string key, string value)
    {
        Saved[key] = value;
        var seen = server.Requests;
        _requestsBefore[key] = seen.Count;
        RequestsWhenSaved[key] = seen;
        return Task.CompletedTask;
    }
}
