using System.Text;
using RabbitMQ.Client;

namespace EventBooking.Messaging;

/// <summary>Broker names and declarations, idempotent so either side may start first.</summary>
public static class PromoTopology
{
    /// <summary>
    /// Sign-ups in arrival order; one consumer at a time. "v2": unlike the first queue it has no delivery limit, so
    /// repeated notifier crashes can never dead-letter innocent requests (queue arguments cannot change in place).
    /// </summary>
    public const string RequestsQueue = "promo.requests.v2";

    /// <summary>Where the notifier puts a request that can never be processed (unreadable, unknown contract).</summary>
    public const string DeadLetterExchange = "promo.requests.dlx";
    public const string DeadLetterQueue = "promo.requests.dead";

    /// <summary>Status updates, fanned out to every interested API replica.</summary>
    public const string StatusExchange = "promo.status";

    /// <summary>The durable copy the API stores statuses from (competing consumers when there are several replicas).</summary>
    public const string StatusStoreQueue = "promo.status.store";

    /// <summary>
    /// Header carrying the registration id of a request, so even a request that cannot be read is answered. Never the
    /// AMQP message id: RabbitMQ.Client records that in traces, and a registration id is a bearer secret.
    /// </summary>
    public const string RegistrationHeader = "eventbooking-registration";

    public static async Task DeclareAsync(IConnection connection, IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Fanout, durable: true, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(DeadLetterQueue, DeadLetterExchange, routingKey: string.Empty, cancellationToken: cancellationToken);

        // Quorum queue: replicated and durable; single active consumer keeps strict order even with standby notifiers.
        var requests = new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-single-active-consumer"] = true,
            ["x-dead-letter-exchange"] = DeadLetterExchange,
        };
        if (ServerMajorVersion(connection) >= 4)
        {
            // RabbitMQ 4 limits deliveries to 20 unless told otherwise; 3.x has no limit unless one is set.
            requests["x-delivery-limit"] = -1;
        }

        await channel.QueueDeclareAsync(RequestsQueue, durable: true, exclusive: false, autoDelete: false, arguments: requests,
            cancellationToken: cancellationToken);

        await channel.ExchangeDeclareAsync(StatusExchange, ExchangeType.Fanout, durable: true, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(StatusStoreQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(StatusStoreQueue, StatusExchange, routingKey: string.Empty, cancellationToken: cancellationToken);
    }

    public static BasicProperties PersistentJson(string messageId) => new()
    {
        ContentType = "application/json",
        DeliveryMode = DeliveryModes.Persistent,
        MessageId = messageId,
        Headers = new Dictionary<string, object?>(),
    };

    private static int ServerMajorVersion(IConnection connection) =>
        connection.ServerProperties?.TryGetValue("version", out var value) == true
        && (value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), string text => text, _ => null }) is { } version
        && int.TryParse(version.Split('.')[0], out var major)
            ? major
            : 0;
}
