using System.Diagnostics;
using EventBooking.Tests.Promo;
using Microsoft.Data.Sqlite;

namespace EventBooking.Tests.Chaos;

/// <summary>
/// Faults that last longer than any retry window: strict order must wait them out, never give a request up. After
/// each: every acknowledged request stored, every sign-up final and none Failed, codes to the earliest, one per email.
/// </summary>
public sealed partial class ChaosTests
{
    private const int Pages = 120;

    [Fact]
    public async Task The_notifiers_database_locked_longer_than_its_busy_timeout_mid_burst_delays_decisions_and_fails_none()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        var burst = new ChaosBurst(graph.Frontend, "lock-" + Guid.NewGuid().ToString("N")[..6], SignUps, Orders);
        var running = burst.RunAsync(clients: 30);
        await burst.ThirdAcknowledged.WaitAsync(cancel.Token);

        var locked = Stopwatch.StartNew();
        // Not pooled: the lock must end with this connection, not live on in a pool.
        using (var holder = new SqliteConnection($"Data Source={graph.NotifierDatabasePath};Pooling=False"))
        {
            holder.Open();
            using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                begin.ExecuteNonQuery();
            }

            var waiting = await Eventually.ReturnsAsync(() => graph.HealthAsync("notifier"), h => h.Status == "Degraded", TimeSpan.FromSeconds(60),
                "the notifier's /health says what it waits for");
            output.WriteLine($"notifier /health while locked: {waiting.Body}");
            // The length of the fault is the point of the test: it outlasts the busy timeout and the retry pauses.
            await Task.Delay(ChaosFixture.LongFault - locked.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, cancel.Token);
            using var commit = holder.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }

        var lockedFor = locked.Elapsed;
        var released = Stopwatch.StartNew();
        await running;
        await ExplainedAsync(() => burst.AssertNothingLostAsync(graph));
        output.WriteLine($"database locked {lockedFor.TotalSeconds:0.0} s (busy timeout {ChaosFixture.BusyTimeout.TotalSeconds:0} s): " +
            $"every sign-up final {released.Elapsed.TotalSeconds:0.0} s after the lock was released; 0 failed; invariants hold");
    }

    [Fact]
    public async Task Killing_the_api_while_120_pages_watch_gets_every_page_its_final_status_once_the_api_is_back()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await graph.KillAsync("notifier");
        var tag = "pages-" + Guid.NewGuid().ToString("N")[..6];
        var signUps = await Batched(Enumerable.Range(0, Pages), 50, i => graph.Frontend.SignUpAsync($"chaos-{tag}-{i}@example.com"));
        var clock = Stopwatch.StartNew();
        var pages = signUps.Select(s => new PageLikeWatcher(graph.Frontend, s)).ToList();
        var following = pages.Select(p => p.FollowAsync(clock, cancel.Token)).ToList();
        await Task.WhenAll(pages.Select(p => p.Watching.Task)).WaitAsync(cancel.Token);

        await graph.KillAsync("api");
        // The decisions are made while the API is down: they wait in the status queue for it.
        await graph.StartAgainAsync("notifier", cancel.Token);
        var ids = signUps.Select(s => s.RegistrationId).ToHashSet();
        await ExplainedAsync(() => Eventually.HoldsAsync(() => PromoInvariants.NotifierDecisions(graph).Keys.Count(ids.Contains) == ids.Count,
            TimeSpan.FromSeconds(60), "the notifier decided every waiting sign-up"));
        // Their mails too: what is measured below is the API's recovery alone.
        await Eventually.HoldsAsync(() => UnsettledNotifierMail() == 0, TimeSpan.FromSeconds(60), "the notifier's mails went out");
        await graph.StartAgainAsync("api", cancel.Token);
        using (var restart = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token))
        {
            restart.CancelAfter(TimeSpan.FromSeconds(90));
            await ExplainedAsync(() => graph.App.ResourceNotifications.WaitForResourceHealthyAsync("api", restart.Token));
        }

        var healthyAt = clock.Elapsed;

        await Task.WhenAll(following).WaitAsync(TimeSpan.FromSeconds(60), cancel.Token);
        var late = pages.Select(p => p.Final!.Value.At - healthyAt).Max();
        Assert.All(pages, p => Assert.Contains(p.Final!.Value.Status, new[] { "CodeIssued", "SoldOut" }));
        PromoInvariants.AssertHold(graph, totalCodes: 10);
        // How fast is ./bench.sh's business; here: every page hears its final status, none is left waiting.
        output.WriteLine($"api kill -9 with {Pages} pages watching: the last page had its final status {late.TotalSeconds:0.0} s after the API was healthy");
    }

    private static async Task<List<T>> Batched<T>(IEnumerable<int> items, int concurrency, Func<int, Task<T>> work)
    {
        var results = new List<T>();
        foreach (var chunk in items.Chunk(concurrency))
        {
            results.AddRange(await Task.WhenAll(chunk.Select(work)));
        }

        return results;
    }

    private long UnsettledNotifierMail()
    {
        using var db = graph.OpenNotifierDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM OutgoingMail WHERE SettledAt IS NULL";
        return (long)count.ExecuteScalar()!;
    }
}
