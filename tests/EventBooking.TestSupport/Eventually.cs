namespace EventBooking.Tests.Infrastructure;

/// <summary>Awaits a condition with a deadline instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        T value;
        do
        {
            value = await probe();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0.#} s: {because}. Last value: {Describe(value)}");
    }

    private static string? Describe<T>(T value) =>
        value is System.Collections.IEnumerable items and not string
            ? string.Join(" | ", items.Cast<object?>())
            : value?.ToString();

    /// <summary>Retries an action that throws until it succeeds; once the time is up its last error is reported.</summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception ex) when (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0.#} s: {because}.", ex);
            }
            catch (Exception)
            {
                // Not yet: try again after a short wait.
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    public static Task<bool> HoldsAsync(Func<bool> condition, TimeSpan timeout, string because) =>
        ReturnsAsync(() => Task.FromResult(condition()), ok => ok, timeout, because);

    public static Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string because) =>
        ReturnsAsync(condition, ok => ok, timeout, because);
}
