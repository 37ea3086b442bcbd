using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventBooking.Tests.Orders;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.Tests.Platform;

/// <summary>The back office's live feed between API replicas, seen from this graph's one API and a stand-in for another.</summary>
[Collection(GraphCollection.Name)]
[Trait("Shapes", "both")] // the feed crosses replicas
public sealed class ReplicaFeedTests(GraphFixture graph)
{
    private const string Exchange = "eventbooking.admin-feed";
    private const string OriginHeader = "eventbooking-origin";
    private const string OtherReplica = "another-replica";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Orders_stored_here_are_announced_to_other_replicas_and_theirs_reach_the_managers_here()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        using var feed = await graph.ManagerWithLiveFeedAsync(cancel.Token);
        var factory = new ConnectionFactory { Uri = new Uri((await graph.App.GetConnectionStringAsync("messaging", cancel.Token))!) };
        await using var connection = await factory.CreateConnectionAsync(cancel.Token);
        await using var otherReplica = await connection.CreateChannelAsync(cancellationToken: cancel.Token);
        // As each replica does: the exchange is declared by whoever comes first (this test may, right after the start).
        await otherReplica.ExchangeDeclareAsync(Exchange, ExchangeType.Fanout, durable: true, cancellationToken: cancel.Token);
        var inbox = await otherReplica.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancel.Token);
        await otherReplica.QueueBindAsync(inbox.QueueName, Exchange, string.Empty, cancellationToken: cancel.Token);
        var announced = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(otherReplica);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // Like a replica, the stand-in hears its own announcement too (the exchange fans out to every replica).
            var fromItself = delivery.BasicProperties.Headers?.TryGetValue(OriginHeader, out var origin) == true
                && origin is byte[] name && Encoding.UTF8.GetString(name) == OtherReplica;
            if (!fromItself)
            {
                announced.TrySetResult(JsonDocument.Parse(delivery.Body).RootElement.Clone());
            }

            return Task.CompletedTask;
        };
        await otherReplica.BasicConsumeAsync(inbox.QueueName, autoAck: true, consumer, cancel.Token);

        using var created = await graph.Frontend.PostAsync(OrderRequests.Valid());
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString();
        var theirs = new BasicProperties
        {
            Type = "order-created",
            Headers = new Dictionary<string, object?> { [OriginHeader] = OtherReplica },
        };
        await otherReplica.BasicPublishAsync(Exchange, string.Empty, mandatory: false, theirs,
            Encoding.UTF8.GetBytes("""{"reference":"EB-ZZZZ-ZZZZ","customerName":"From the other replica"}"""), cancel.Token);

        Assert.Equal(reference, (await announced.Task.WaitAsync(cancel.Token)).GetProperty("reference").GetString());
        var seen = new HashSet<string>();
        var buffer = new byte[16 * 1024];
        while (!seen.IsSupersetOf([reference!, "EB-ZZZZ-ZZZZ"]))
        {
            var result = await feed.Socket.ReceiveAsync(buffer, cancel.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.GetProperty("type").GetString() == "order-created")
            {
                seen.Add(message.RootElement.GetProperty("data").GetProperty("reference").GetString()!);
            }
        }
    }
}
