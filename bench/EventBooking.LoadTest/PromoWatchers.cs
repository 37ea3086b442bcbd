using System.Collections.Concurrent;

namespace EventBooking.LoadTest;

/// <summary>
/// The promo page, many times over: each accepted sign-up gets a watcher on its status WebSocket until the final
/// status. Counts the sockets that connected and those that broke.
/// </summary>
public sealed class PromoWatchers(HttpClient http)
{
    private readonly ConcurrentBag<Task> _watching = [];
    private int _connected;
    private int _errors;

    public ConcurrentBag<PromoOutcome> Outcomes { get; } = [];

    /// <summary>Sign-ups accepted (202) and watched.</summary>
    public int Accepted => _watching.Count;

    /// <summary>Sockets that received their first status.</summary>
    public int Connected => Volatile.Read(ref _connected);

    /// <summary>Sockets that failed before a final status.</summary>
    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Signs up; if accepted, starts watching. False when the sign-up was not accepted.</summary>
    public async Task<bool> SignUpAsync(string email, string name)
    {
        var statusUrl = await PromoClient.SignUpAsync(http, email, name);
        if (statusUrl is null)
        {
            return false;
        }

        _watching.Add(WatchAsync(statusUrl));
        return true;
    }

    public Task AllFinalAsync() => Task.WhenAll(_watching);

    public IReadOnlyList<Check> Invariants(int codesLeftBefore) => PromoClient.Invariants(Outcomes, Accepted, codesLeftBefore);

    public double[] SortedPushMilliseconds() => Outcomes.Select(o => o.PushMilliseconds).Order().ToArray();

    private async Task WatchAsync(string statusUrl)
    {
        try
        {
            Outcomes.Add(await PromoClient.WatchAsync(http.BaseAddress!, statusUrl, () => Interlocked.Increment(ref _connected)));
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or InvalidOperationException)
        {
            Console.Error.WriteLine($"  watcher {statusUrl}: {ex.Message}");
            Interlocked.Increment(ref _errors);
        }
    }
}
