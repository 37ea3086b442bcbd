using System.Diagnostics;
using EventBooking.Tests.Promo;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace EventBooking.Tests.Chaos;

/// <summary>
/// The promotion at its real pace (the default 0.5 s steps) and a broker that gives up on a delivery after 5 s
/// unacknowledged (its consumer timeout, 30 minutes in production), so a deep queue outlasts it.
/// </summary>
public sealed class RealPaceFixture : GraphFixture
{
    protected override string[] Arguments => [.. DefaultArguments, "--Promo:StepDelay=00:00:00.500", "--RabbitMQ:ConsumerTimeout=00:00:05"];
}

[CollectionDefinition(Name)]
public sealed class RealPaceCollection : ICollectionFixture<RealPaceFixture>
{
    public const string Name = "real-pace";
}

[Collection(RealPaceCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class CrashLoopTests(RealPaceFixture graph, ITestOutputHelper output)
{
    private const int SignUps = 200;
    private const int Kills = 12;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_notifier_killed_12_times_over_200_waiting_sign_ups_then_a_queue_outlasting_the_consumer_timeout_end_all_final_within_30_s()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await graph.KillAsync("notifier");
        var signUps = new List<SignUp>();
        foreach (var chunk in Enumerable.Range(0, SignUps).Chunk(50))
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

        await graph.StartAgainAsync("notifier", cancel.Token);
        var started = Stopwatch.StartNew();
        var rows = await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(30));
        var allFinal = started.Elapsed;

        Assert.Equal(SignUps, rows.Count);
        PromoInvariants.AssertHold(graph, totalCodes: 10);
        var timedOut = graph.Logs.Count(l => l.Resource == "notifier" && l.Line.Contains("acknowledgement", StringComparison.OrdinalIgnoreCase)
            && l.Line.Contains("timed out", StringComparison.OrdinalIgnoreCase));
        output.WriteLine($"{Kills} kills, then all {SignUps} final {allFinal.TotalSeconds:0.0} s after the last start " +
            $"(0.5 s steps); the broker's consumer timeout closed the notifier's channel {timedOut} time(s) on the way; 0 failed");
    }

    private static async Task<uint> ReadyAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync("promo.requests.v2", cancellationToken)).MessageCount;
    }
}
