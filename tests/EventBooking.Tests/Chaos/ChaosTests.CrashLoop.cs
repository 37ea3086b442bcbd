using System.Diagnostics;
using EventBooking.Tests.Promo;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.Tests.Chaos;

public sealed partial class ChaosTests
{
    private const int CrashLoopSignUps = 200;
    private const int Kills = 2;
    private const string RequestsQueue = "promo.requests.v2";

    /// <summary>The old delivery limit, which dead-lettered innocent requests as <c>Failed</c>.</summary>
    private const int OldDeliveryLimit = 10;

    /// <summary>
    /// The notifier's database is held for writing throughout, so each start takes the waiting requests and holds
    /// them, deciding none, until it is killed. A consumer of the test's own then takes them and drops them until each
    /// was delivered more often than the old limit allowed: the broker counts a dead consumer's deliveries the same way
    /// whether its process was killed or its channel closed, and a process start costs seconds of both cores. The
    /// broker gives up on a delivery after
    /// <see cref="ChaosFixture.ConsumerTimeout"/> unacknowledged (30 minutes in production), so the held queue outlasts
    /// that too.
    /// </summary>
    [Fact]
    public async Task A_notifier_crash_looping_over_200_waiting_sign_ups_past_the_old_delivery_limit_then_a_queue_outlasting_the_consumer_timeout_end_all_final()
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

            var deliveries = 0L;
            for (var drop = Kills + 1; drop <= OldDeliveryLimit + 1; drop++)
            {
                deliveries = await TakeAndDropAsync(connection, CrashLoopSignUps, cancel.Token);
            }

            Assert.True(deliveries > OldDeliveryLimit, $"each waiting request was delivered {deliveries} times");
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
        output.WriteLine($"{Kills} kills with the database held, {OldDeliveryLimit + 1} deliveries each: {undecided} undecided; all final {allFinal.TotalSeconds:0.0} s after the last start; 0 failed");
    }

    /// <summary>
    /// Takes every waiting request and closes its channel without a word, as a consumer that dies does; returns the
    /// fewest deliveries any of them had before this one (RabbitMQ's <c>x-delivery-count</c>, 0 for the first).
    /// </summary>
    private static async Task<long> TakeAndDropAsync(IConnection connection, int waiting, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var fewest = long.MaxValue;
        var taken = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var count = delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var value) == true ? Convert.ToInt64(value) : 0;
            fewest = Math.Min(fewest, count);
            if (++taken == waiting)
            {
                all.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(RequestsQueue, autoAck: false, consumer, cancellationToken);
        await all.Task.WaitAsync(cancellationToken);
        return fewest + 1;
    }

    private static async Task<uint> ReadyAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(RequestsQueue, cancellationToken)).MessageCount;
    }
}
