using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>The calendar places and labels publications in the workspace's zone, day by day, across a DST change.</summary>
[Collection(WebCollection.Name)]
public sealed class CalendarTimeZoneTests(WebHost host)
{
    [Fact]
    public async Task Around_the_spring_change_in_Paris_each_post_shows_on_its_local_day_at_its_local_time()
    {
        var (ws, key) = await host.CreateWorkspaceAsync("Europe/Paris");
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "dst" }))["id"]!.GetValue<string>();
        // Clocks go from 02:00 CET to 03:00 CEST on Sunday 28 March 2027 (01:00 UTC).
        (string Utc, string Day, string Local)[] cases =
        [
            ("2027-03-27T23:30:00Z", "2027-03-28", "00:30"), // CET, already Sunday in Paris
            ("2027-03-28T00:30:00Z", "2027-03-28", "01:30"), // CET, just before the change
            ("2027-03-28T01:30:00Z", "2027-03-28", "03:30"), // CEST, just after it
            ("2027-03-28T22:30:00Z", "2027-03-29", "00:30"), // CEST: Monday in Paris, still Sunday in UTC
        ];
        foreach (var (utc, _, _) in cases)
        {
            await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", key, new
            {
                content = new { text = $"at {utc}" }, targets = new[] { new { accountId = account } }, schedule = new { at = utc },
            });
        }

        var page = await host.NewPageAsync();
        await host.JoinAsOwnerAsync(page, ws);
        foreach (var view in new[] { "month", "week" })
        {
            await page.GotoAsync($"/app/calendar?view={view}&date=2027-03-28");
            // The week of Sunday 28 March runs Monday 22 to Sunday 28; the month shows the 29th too.
            foreach (var (utc, day, local) in cases.Where(c => view == "month" || c.Day != "2027-03-29"))
            {
                var time = page.Locator($".day[data-date='{day}'] .pub time[datetime='{DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture):O}']");
                await Expect(time).ToHaveTextAsync(local);
            }
        }

        await Expect(page.Locator(".day[data-date='2027-03-28'] .pub")).ToHaveCountAsync(3);
        await page.Context.CloseAsync();
    }
}
