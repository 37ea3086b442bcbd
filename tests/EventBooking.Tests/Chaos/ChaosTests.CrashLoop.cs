using System.Diagnostics;
using EventBooking.Tests.Promo;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;

namespace EventBooking.Tests.Chaos;

public sealed partial class ChaosTests
{
    private const int CrashLoopSignUps = 200;
    private const int Kills = 10;

    /// <summary>
    /// The notifier's database is held for writing throughout, so each start takes the waiting requests and holds
    /// them, deciding none, until it is killed. The broker gives up on a delivery after
    /// <see cref="ChaosFixture.ConsumerTimeout"/> unacknowledged (30 minutes in production), so the held queue outlasts
    /// that too.
    /// </summary>
    [Fact]
    public async Task A_notifier_killed_10_times_over_200_waiting_sign_ups_then_a_queue_outlasting_the_consumer_timeout_end_all_final()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await graph.KillAsync("notifier");
        var tag = "crash-loop-" + Guid.NewGuid().ToString("N")[..6];
        var signUps = new List<SignUp>();
        foreach (var chunk in Enumerable.Range(0, CrashLoopSignUps).Chunk(50))
        {
            signUps.AddRange(await Task.WhenAll(chunk.Select(i => graph.Frontend.SignUpAsync($"{tag}-{i}@example.com"))));
        }

        // Each start takes every waiting request (one more delivery each) and dies before it can decide one: with the
        // last start, more deliveries than the old delivery limit of 10, which dead-lettered innocent requests as Failed.
        var factory = new ConnectionFactory { Uri = new Uri((await graph.App.GetConnectionStringAsync("messaging", cancel.Token))!) };
        await using var connection = await factory.CreateConnectionAsync(cancel.Token);
        int undecided;
        using (var writer = new SqliteConnection($"Data Source={graph.NotifierDatabasePath};Pooling=False"))
        {
            writer.Open();
            using (var hold = writer.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE"; // writers wait; readers (the notifier's start) go on
                hold.ExecuteNonQuery();
            }

            for (var kill = 1; kill <= Kills; kill++)
            {
                await graph.StartAgainAsync("notifier", cancel.Token);
                await Eventually.ReturnsAsync(() => ReadyAsync(connection, cancel.Token), ready => ready == 0, TimeSpan.FromSeconds(60),
                    $"start {kill}: the notifier took the waiting requests");
                await graph.KillAsync("notifier");
            }

            undecided = PromoInvariants.Registrations(graph).Count(r => r.Email.StartsWith(tag, StringComparison.Ordinal)
                && !PromoClient.FinalStatuses.Contains(r.Status));
            using var release = writer.CreateCommand();
            release.CommandText = "ROLLBACK";
            release.ExecuteNonQuery();
        }

        await graph.StartAgainAsync("notifier", cancel.Token);
        var started = Stopwatch.StartNew();
        var rows = await PromoInvariants.AllFinalAsync(graph, TimeSpan.FromSeconds(60));
        var allFinal = started.Elapsed;

        Assert.Equal(CrashLoopSignUps, undecided);
        Assert.Equal(CrashLoopSignUps, rows.Count(r => r.Email.StartsWith(tag, StringComparison.Ordinal)));
        PromoInvariants.AssertHold(graph, totalCodes: 10);
        output.WriteLine($"{Kills} kills with the database held: {undecided} undecided; all final {allFinal.TotalSeconds:0.0} s after the last start; 0 failed");
    }

    private static async Task<uint> ReadyAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync("promo.requests.v2", cancellationToken)).MessageCount;
    }
}
