namespace PostNext.Grains.Tests.Webhooks;

/// <summary>Polls until a condition holds, failing with what did not happen.</summary>
public static class WebhookWait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out: {what()}");
            await Task.Delay(50);
        }
    }
}
