using System.Text.Json;
using System.Text.Json.Serialization;
using RabbitMQ.Client;

// Linked into both the API and the notifier: the two sides of the promo conversation must agree on names and
// shapes, and a third project just for this file would be more ceremony than it saves.
namespace EventBooking.Messaging;

/// <summary>A sign-up, accepted and stored by the API, for the notifier to decide.</summary>
public sealed record PromoRequested(string RegistrationId, long Sequence, string Email, string Name, DateTime AcceptedAt);

public enum PromoStatus
{
    Queued,
    Processing,
    CodeIssued,
    SoldOut,
    Failed,
}

/// <summary>
/// One step of a registration's handling, from the notifier to every API replica. <see cref="Version"/> only grows
/// for a registration (steps 1..n, then <see cref="FinalVersion"/>), so late or repeated updates are recognised.
/// </summary>
public sealed record PromoStatusChanged(
    string RegistrationId,
    long Sequence,
    PromoStatus Status,
    int Version,
    string? Step,
    string? Code,
    string Message,
    DateTime At)
{
    public const int FinalVersion = 1_000;

    public bool IsFinal => Status is PromoStatus.CodeIssued or PromoStatus.SoldOut or PromoStatus.Failed;
}

/// <summary>Broker names and declarations, idempotent so either side may start first.</summary>
public static class PromoTopology
{
    /// <summary>Sign-ups in arrival order; one consumer at a time.</summary>
    public const string RequestsQueue = "promo.requests";

    /// <summary>Where a request goes after the notifier gave up on it (or the broker's delivery limit was hit).</summary>
    public const string DeadLetterExchange = "promo.requests.dlx";
    public const string DeadLetterQueue = "promo.requests.dead";

    /// <summary>Status updates, fanned out to every interested API replica.</summary>
    public const string StatusExchange = "promo.status";

    /// <summary>The durable copy the API stores statuses from (competing consumers when there are several replicas).</summary>
    public const string StatusStoreQueue = "promo.status.store";

    /// <summary>Redeliveries after which the broker dead-letters a request that keeps crashing its consumer.</summary>
    public const int DeliveryLimit = 10;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Fanout, durable: true, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(DeadLetterQueue, DeadLetterExchange, routingKey: string.Empty, cancellationToken: cancellationToken);

        // Quorum queue: replicated and durable; single active consumer keeps strict order even when a second
        // notifier is started, and the delivery limit stops a crash loop from blocking the queue forever.
        await channel.QueueDeclareAsync(RequestsQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-single-active-consumer"] = true,
                ["x-delivery-limit"] = DeliveryLimit,
                ["x-dead-letter-exchange"] = DeadLetterExchange,
            },
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
}
