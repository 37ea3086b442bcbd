using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EventBooking.Tests.Promo;

/// <summary>A status announced by the notifier, as the broker carried it.</summary>
public sealed record TappedStatus(JsonElement Body, string? TraceParent)
{
    public string RegistrationId => Body.GetProperty("registrationId").GetString()!;

    public string Status => Body.GetProperty("status").GetString()!;
}

/// <summary>Listens on the status fan-out the way an API replica does, to see exactly what the notifier announced.</summary>
public sealed class StatusTap : IAsyncDisposable
{
    private readonly ConcurrentQueue<TappedStatus> _seen = new();
    private IConnection _connection = null!;
    private IChannel _channel = null!;

    public IReadOnlyCollection<TappedStatus> Seen => _seen;

    public static async Task<StatusTap> OpenAsync(GraphFixture graph, CancellationToken cancellationToken)
    {
        var tap = new StatusTap();
        var factory = new ConnectionFactory { Uri = new Uri((await graph.App.GetConnectionStringAsync("messaging", cancellationToken))!) };
        tap._connection = await factory.CreateConnectionAsync(cancellationToken);
        tap._channel = await tap._connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var queue = await tap._channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken);
        await tap._channel.QueueBindAsync(queue.QueueName, "promo.status", string.Empty, cancellationToken: cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(tap._channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var traceParent = delivery.BasicProperties.Headers?.TryGetValue("traceparent", out var value) == true && value is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : null;
            tap._seen.Enqueue(new TappedStatus(JsonDocument.Parse(delivery.Body).RootElement.Clone(), traceParent));
            return Task.CompletedTask;
        };
        await tap._channel.BasicConsumeAsync(queue.QueueName, autoAck: true, consumer, cancellationToken);
        return tap;
    }

    /// <summary>Publishes straight onto the requests queue, as a broken or foreign producer would.</summary>
    public async Task PublishRequestAsync(byte[] body, IDictionary<string, object?> headers, CancellationToken cancellationToken) =>
        await _channel.BasicPublishAsync(string.Empty, "promo.requests.v2", mandatory: false,
            new BasicProperties { Persistent = true, Headers = headers }, body, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
