using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>
/// N sign-ups from C concurrent clients, each then watching its WebSocket to the final status (the watchers do
/// not hold a client slot: people keep the page open while others sign up). Timed: accept latency. Also: time
/// until all are final, push latency, and the promo invariants for this run.
/// </summary>
public static class PromoBurstScenario
{
    public static async Task<ScenarioResult> RunAsync(HttpClient http, int count, int concurrency)
    {
        var codesLeftBefore = await PromoClient.CodesLeftAsync(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        var outcomes = new ConcurrentBag<PromoOutcome>();
        var watchers = new ConcurrentBag<Task>();
        var watchErrors = 0;
        var clock = Stopwatch.StartNew();

        var accept = await LatencyRecorder.RunAsync("promo-burst", count, concurrency, async index =>
        {
            var statusUrl = await PromoClient.SignUpAsync(http, $"burst-{run}-{index}@example.com", $"Client {index}");
            if (statusUrl is null)
            {
                return false;
            }

            watchers.Add(Watch(statusUrl));
            return true;
        });
        var lastAccept = clock.Elapsed;

        async Task Watch(string statusUrl)
        {
            try
            {
                outcomes.Add(await PromoClient.WatchAsync(http.BaseAddress!, statusUrl));
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or InvalidOperationException)
            {
                Console.Error.WriteLine($"  watcher {statusUrl}: {ex.Message}");
                Interlocked.Increment(ref watchErrors);
            }
        }

        using (Progress.Show("promo-burst final statuses", () => $"{outcomes.Count:N0}/{watchers.Count:N0} final"))
        {
            await Task.WhenAll(watchers);
        }

        var allFinal = clock.Elapsed;
        var pushes = outcomes.Select(o => o.PushMilliseconds).Order().ToArray();
        return accept with
        {
            Measures = "accept (POST → 202)",
            Errors = accept.Errors + watchErrors,
            Figures =
            [
                new("accepted", watchers.Count, "sign-ups"),
                new("time until all final, from the first sign-up", allFinal.TotalSeconds, "s"),
                new("time until all final, after the last accept", (allFinal - lastAccept).TotalSeconds, "s"),
                new("push latency (decision → client) p50", PromoClient.Percentile(pushes, 50), "ms"),
                new("push latency (decision → client) p99", PromoClient.Percentile(pushes, 99), "ms"),
            ],
            Checks = PromoClient.Invariants(outcomes, watchers.Count, codesLeftBefore),
        };
    }
}
