using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>
/// N sign-ups from C concurrent clients (or at a rate: see <see cref="Load"/>), each then watching its WebSocket to the final status (the watchers do
/// not hold a client slot: people keep the page open while others sign up). Timed: accept latency. Also: time
/// until all are final, push latency, and the promo invariants for this run.
/// </summary>
public static class PromoBurstScenario
{
    public static Task<ScenarioResult> RunAsync(HttpClient http, int count, int concurrency) => RunAsync(http, new Load(count, concurrency));

    public static async Task<ScenarioResult> RunAsync(HttpClient http, Load load)
    {
        var codesLeftBefore = await PromoClient.CodesLeftAsync(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        var watchers = new PromoWatchers(http);
        var clock = Stopwatch.StartNew();

        var accept = await LatencyRecorder.RunAsync("promo-burst", load,
            index => watchers.SignUpAsync($"burst-{run}-{index}@example.com", $"Client {index}"));
        var lastAccept = clock.Elapsed;

        using (Progress.Show("promo-burst final statuses", () => $"{watchers.Outcomes.Count:N0}/{watchers.Accepted:N0} final"))
        {
            await watchers.AllFinalAsync();
        }

        var allFinal = clock.Elapsed;
        var pushes = watchers.SortedPushMilliseconds();
        return accept with
        {
            Measures = load.IsOpen ? "accept (scheduled → 202)" : "accept (POST → 202)",
            Errors = accept.Errors + watchers.Errors,
            Figures =
            [
                .. accept.Figures,
                new("accepted", watchers.Accepted, "sign-ups"),
                new("time until all final, from the first sign-up", allFinal.TotalSeconds, "s"),
                new("time until all final, after the last accept", (allFinal - lastAccept).TotalSeconds, "s"),
                new("push latency (decision → client) p50", ScenarioResult.Percentile(pushes, 50), "ms"),
                new("push latency (decision → client) p99", ScenarioResult.Percentile(pushes, 99), "ms"),
            ],
            Checks = watchers.Invariants(codesLeftBefore),
        };
    }
}
