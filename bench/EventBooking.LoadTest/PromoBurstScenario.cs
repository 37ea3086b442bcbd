using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>
/// N people from C concurrent clients (or at a rate: see <see cref="Load"/>), each doing what the promo page does
/// (<see cref="PromoPage"/>: the page, the proof of work, the sign-up, the confirmation from the mail) and then
/// watching to the final status (the watchers do not hold a client slot: people keep the page open while others sign
/// up). Timed: accept latency. Also: time until all are final, push latency, and the promo invariants for this run.
/// </summary>
public static class PromoBurstScenario
{
    private static int s_people;

    public static Task<ScenarioResult> RunAsync(HttpClient http, int count, int concurrency, Inbox? inbox = null) =>
        RunAsync(http, new Load(count, concurrency), inbox);

    public static async Task<ScenarioResult> RunAsync(HttpClient http, Load load, Inbox? inbox = null)
    {
        var codesLeftBefore = await PromoClient.CodesLeftAsync(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        var page = await PromoPage.OpenAsync(http, inbox);
        var watchers = new PromoWatchers(page);
        ProofOfWork.TakeTally();
        PromoClient.TakeMessages();
        var clock = Stopwatch.StartNew();

        // Each at a mailbox of its own at a public provider, as people are (a company's domain has a cap of places).
        var accept = await LatencyRecorder.RunAsync("promo-burst", load, _ => watchers.ArriveAsync(),
            visit => watchers.SignUpAsync(visit, $"burst{run}n{Interlocked.Increment(ref s_people)}@gmail.com", "Client"));
        var lastAccept = clock.Elapsed;

        using (Progress.Show("promo-burst final statuses", () => $"{watchers.Outcomes.Count:N0}/{watchers.Accepted:N0} final"))
        {
            await watchers.AllFinalAsync();
        }

        var allFinal = clock.Elapsed;
        var (solved, solving) = ProofOfWork.TakeTally();
        var messages = PromoClient.TakeMessages();
        var pushes = watchers.SortedPushMilliseconds();
        return accept with
        {
            Measures = load.IsOpen ? "accept (scheduled → 202, page and proof of work included)" : "accept (POST → 202)",
            Errors = accept.Errors + watchers.Errors,
            Figures =
            [
                .. accept.Figures,
                new("accepted", watchers.Accepted, "sign-ups"),
                new("time until all final, from the first sign-up", allFinal.TotalSeconds, "s"),
                new("time until all final, after the last accept", (allFinal - lastAccept).TotalSeconds, "s"),
                new("push latency (decision → client) p50", ScenarioResult.Percentile(pushes, 50), "ms"),
                new("push latency (decision → client) p99", ScenarioResult.Percentile(pushes, 99), "ms"),
                new("people who confirmed from the mailed link", page.Confirmations, "people"),
                new("status messages the pages received, per person", messages / (double)Math.Max(1, watchers.Accepted), "messages"),
                new("proofs of work solved by the client", solved, "challenges"),
                new("client CPU solving them, per sign-up", solving.TotalMilliseconds / Math.Max(1, watchers.Accepted), "ms"),
            ],
            Checks = watchers.Invariants(codesLeftBefore),
        };
    }
}
