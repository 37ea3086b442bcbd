using System.Diagnostics;
using EventBooking.Tests.Promo;
using RabbitMQ.Client;

namespace EventBooking.Tests.Chaos;

public sealed partial class ChaosTests
{
    private const int CrashLoopSignUps = 200;
    private const int Kills = 12;

    /// <summary>
    /// Needs the codes still there: winners take their 0.5 s steps, so each start of the notifier dies with requests
    /// taken and undecided. The broker gives up on a delivery after <see cref="ChaosFixture.ConsumerTimeout"/>
    /// unacknowledged (30 minutes in production), so the deep queue outlasts it too.
    /// </summary>
    [Fact]
    [NeedsFreshPromotion]
    public async Task A_notifier_killed_12_times_over_200_waiting_sign_ups_then_a_queue_outlasting_the_consumer_timeout_end_all_final()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        Assert.Empty(PromoInvariants.Registrations(graph)); // the promotion is fresh: winners still take steps
        await graph.KillAsync("notifier");
        var signUps = new List<SignUp>();
        foreach (var chunk in Enumerable.Range(0, CrashLoopSignUps).Chunk(50))
        {
            signUps.AddRange(await Task.WhenAll(chunk.Select(i => graph.Frontend.SignUpAsync($"crash-loop-{i}-{Guid.NewGuid():N}@example.com"))));
        }

        // Each start takes every waiting request (one more delivery each) and dies before it can finish: more
        // deliveries than the old delivery limit of 10, which dead-lettered innocent requests as Failed.
        var factory = new ConnectionFactory { Uri = new Uri((await graph.App.GetConnectionStringAsync("messaging", cancel.Token))!) };
        await using var connection = await factory.CreateConnectionAsync(cancel.Token);
        for (var kill = 1; kill <= Kills; kill++)
        {
            await graph.StartAgainAsync("notifier", cancel.Token);
            await Eventually.ReturnsAsync(() => ReadyAsync(connection, cancel.Token), ready => ready == 0, TimeSpan.FromSeconds(60),
                $"start {kill}: the notifier took the waiting requests");
            await graph.KillAsync("notifier");
        }

        var undecided = PromoInvariants.Registrations(graph).Count(r => !PromoClient.FinalStatuses.Contains(r.Status));
        await graph.StartAgainAsync("notifier", cancel.Token);
        var started = Stopwatch.StartNew();
        var rows = await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(60));
        var allFinal = started.Elapsed;

        Assert.True(undecided > 0, "the kills left requests undecided, or the test proved nothing");
        Assert.Equal(CrashLoopSignUps, rows.Count);
        PromoInvariants.AssertHold(graph, totalCodes: 10);
        output.WriteLine($"{Kills} kills left {undecided} undecided; all {CrashLoopSignUps} final {allFinal.TotalSeconds:0.0} s after the last start (0.5 s steps); 0 failed");
    }

    private static async Task<uint> ReadyAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync("promo.requests.v2", cancellationToken)).MessageCount;
    }
}
