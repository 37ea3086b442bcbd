using System.Collections.Concurrent;
using EventBooking.Tests.Promo;

namespace EventBooking.Tests.ScaleOut;

/// <summary>
/// Watchers spread over the API replicas by the site's proxy each hear every status of their own sign-up, whichever
/// replica stored it: each replica consumes every status and pushes to its own sockets.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Shapes", "scale-out")]
public sealed class ReplicaStatusTests(GraphFixture graph)
{
    private const int Watchers = 40;

    [Fact]
    public async Task Every_watcher_hears_its_final_status_whichever_replica_holds_its_socket()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // With the notifier down the requests wait in the queue, so every client is watching before they are decided.
        await graph.KillAsync("notifier");
        List<SignUp> signUps;
        Watch[] watches;
        var restarted = false;
        try
        {
            signUps = [.. await Task.WhenAll(Enumerable.Range(0, Watchers).Select(i => graph.Frontend.SignUpAsync($"replicas-{i}-{Guid.NewGuid():N}@example.com")))];
            var sockets = await Task.WhenAll(signUps.Select(s => graph.Frontend.ConnectAsync(s.StatusUrl, cancel.Token)));
            var connected = new ConcurrentDictionary<string, bool>();
            var watching = sockets.Select((socket, i) => socket.ReadUntilClosedAsync(cancel.Token, _ => connected.TryAdd(signUps[i].RegistrationId, true))).ToArray();
            await Eventually.HoldsAsync(() => connected.Count == Watchers, TimeSpan.FromSeconds(20), "every watcher got its current status on connect");

            await graph.StartAgainAsync("notifier", cancel.Token);
            restarted = true;
            watches = await Task.WhenAll(watching);
        }
        finally
        {
            if (!restarted)
            {
                await graph.StartAgainAsync("notifier", cancel.Token); // the graph is shared
            }
        }

        var stored = PromoInvariants.Registrations(graph).ToDictionary(r => r.Id);
        Assert.All(watches.Zip(signUps), pair =>
        {
            var (watch, signUp) = pair;
            Assert.Equal("Queued", watch.Statuses[0]);
            Assert.Equal(stored[signUp.RegistrationId].Status, watch.Statuses[^1]);
            Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, watch.CloseStatus);
        });
    }
}
