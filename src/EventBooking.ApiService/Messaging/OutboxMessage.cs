namespace EventBooking.ApiService.Messaging;

/// <summary>
/// A message waiting to be published, written in the same transaction as its registration: a 202 therefore
/// means the sign-up will reach the broker even if the broker or the API is down right now.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; init; }

    public required string Type { get; init; }

    /// <summary>The registration id; it travels in a header, never as the AMQP message id (which traces record).</summary>
    public required string MessageId { get; init; }

    public required string Payload { get; init; }

    /// <summary>W3C traceparent of the request that created the message, so the publish joins its trace.</summary>
    public string? TraceParent { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }
}
