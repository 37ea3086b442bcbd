using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>
/// K status WebSockets held by people waiting in the queue (as the promo page does: with confirmation on, two pages
/// each) while the notifier is frozen (SIGSTOP), so every socket is held and idle at once; the API's resident memory is read before and while they are held. Then the
/// notifier resumes and decides all K: timed is the push of each final status (decision → client receipt) with
/// all K sockets open.
/// </summary>
public static class SocketsScenario
{
    private static int s_people;

    /// <summary>What the idle window's figures are called: per process, the product, the whole stack.</summary>
    public const string IdleLabel = "CPU while every socket waits and nothing happens";

    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromMinutes(2);

    public static async Task<ScenarioResult> RunAsync(
        HttpClient http, int sockets, int concurrency, int apiPid, int notifierPid, Inbox? inbox = null, TimeSpan? idleFor = null)
    {
        var codesLeftBefore = await PromoClient.CodesLeftAsync(http);
        var run = Guid.NewGuid().ToString("N")[..8];
        var page = await PromoPage.OpenAsync(http, inbox);
        var watchers = new PromoWatchers(page);
        // With confirmation on, a person waits on two pages: the one they signed up on and the one their mail opened.
        var people = sockets / page.SocketsPerPerson;
        var apiBefore = ServiceProcesses.ResidentKilobytes(apiPid);

        ServiceProcesses.Pause(notifierPid);
        ScenarioResult signUps;
        long apiHeld;
        int held;
        IReadOnlyList<Figure> idleShares;
        TimeSpan opening;
        try
        {
            var clock = Stopwatch.StartNew();
            signUps = await LatencyRecorder.RunAsync("sockets: sign up and connect", new Load(people, concurrency), index => watchers.ArriveAsync(),
                visit => watchers.SignUpAsync(visit, $"socket{run}n{Interlocked.Increment(ref s_people)}@gmail.com", "Waiting Client"));

            using (Progress.Show("sockets open", () => $"{watchers.Connected:N0}/{watchers.SocketsExpected:N0}"))
            {
                var deadline = Stopwatch.StartNew();
                while (watchers.Connected + watchers.Errors < watchers.SocketsExpected && deadline.Elapsed < OpenTimeout)
                {
                    await Task.Delay(50);
                }
            }

            opening = clock.Elapsed;
            // Let the first queue-position pushes go out and the server settle before reading its memory.
            await Task.Delay(SettleTime);
            apiHeld = ServiceProcesses.ResidentKilobytes(apiPid);
            held = watchers.Connected;

            // What waiting pages cost while nothing happens (the notifier, frozen, costs nothing here either).
            var idle = CpuUse.Start();
            await Task.Delay(idleFor ?? TimeSpan.FromSeconds(60));
            idleShares = idle.Shares(IdleLabel);
        }
        finally
        {
            ServiceProcesses.Resume(notifierPid);
        }

        var draining = Stopwatch.StartNew();
        using (Progress.Show("sockets final statuses", () => $"{watchers.Outcomes.Count:N0}/{people:N0} final"))
        {
            await watchers.AllFinalAsync();
        }

        return new ScenarioResult("sockets", people * page.SocketsPerPerson, concurrency, watchers.SortedPushMilliseconds(), signUps.Errors + watchers.Errors, draining.Elapsed)
        {
            Measures = "push (decision → client)",
            HasRate = false,
            Figures =
            [
                new("sockets held open at once", held, "sockets"),
                new("time to sign up and open all", opening.TotalSeconds, "s"),
                new("API resident memory before", apiBefore / 1024.0, "MB"),
                new("API resident memory with all sockets held", apiHeld / 1024.0, "MB"),
                new("API resident memory per held socket", (apiHeld - apiBefore) / (double)Math.Max(1, held), "KB"),
                .. idleShares,
                new("time until all final after the notifier resumed", draining.Elapsed.TotalSeconds, "s"),
            ],
            Checks = [new($"all {people * page.SocketsPerPerson:N0} sockets were open at the same time", held == people * page.SocketsPerPerson), .. watchers.Invariants(codesLeftBefore)],
        };
    }
}
