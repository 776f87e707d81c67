namespace PostNext.Api.Tests;

/// <summary>The calendar over HTTP: each entry carries what a calendar shows of it, so no post needs to be fetched.</summary>
[Collection(ApiCollection.Name)]
public sealed class CalendarApiTests(ApiHost api)
{
    [Fact]
    public async Task Calendar_entries_carry_their_text_permalink_and_deferral_reason()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var plain = await api.CreateSandboxAccountAsync(ws, key, "plain");
        var overridden = await api.CreateSandboxAccountAsync(ws, key, "overridden");
        var limited = await api.CreateSandboxAccountAsync(ws, key, "limited", new { rateLimitRate = 1.0, rateLimitResetSeconds = 3600 });
        var longText = "Launch day! " + new string('x', 200);

        var created = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = longText },
            targets = new object[] { new { accountId = plain }, new { accountId = overridden, overrides = new { text = "B edition" } }, new { accountId = limited } },
            schedule = new { mode = "now" },
        }), HttpStatusCode.Created);
        var postId = created["id"]!.GetValue<string>();

        var post = await api.WaitForPostAsync(ws, key, postId, p =>
            p["targets"]!.AsArray().Select(t => t!["status"]!.GetValue<string>()).Order().SequenceEqual(["deferred", "published", "published"]));

        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(2).ToString("O"));
        var calendar = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/calendar?from={from}&to={to}", key), HttpStatusCode.OK);
        var entries = calendar["entries"]!.AsArray().ToDictionary(e => e!["accountId"]!.GetValue<string>());
        JsonNode Target(string account) => post["targets"]!.AsArray().Single(t => t!["accountId"]!.GetValue<string>() == account)!;

        var first = entries[plain]!;
        Assert.Equal("published", first["status"]!.GetValue<string>());
        Assert.Equal(longText[..80] + "…", first["text"]!.GetValue<string>());
        Assert.Equal(Target(plain)["permalink"]!.GetValue<string>(), first["permalink"]!.GetValue<string>());
        Assert.Null(first["error"]);

        var second = entries[overridden]!;
        Assert.Equal("B edition", second["text"]!.GetValue<string>());
        Assert.Equal(Target(overridden)["permalink"]!.GetValue<string>(), second["permalink"]!.GetValue<string>());

        var third = entries[limited]!;
        Assert.Equal("deferred", third["status"]!.GetValue<string>());
        Assert.Equal(Target(limited)["deferReason"]!.GetValue<string>(), third["deferReason"]!.GetValue<string>());
        Assert.Equal(Target(limited)["deferredUntil"]!.GetValue<DateTimeOffset>(), third["at"]!.GetValue<DateTimeOffset>());
        Assert.Null(third["permalink"]);
    }
}
