namespace PostNext.Hosting.Tests;

/// <summary>Polls a condition until it holds or a deadline passes (for things that happen on their own, like reminder ticks).</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}; last value: {last}.");
            }

            await Task.Delay(250);
        }
    }
}
