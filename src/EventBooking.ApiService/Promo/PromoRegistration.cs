using EventBooking.Messaging;

namespace EventBooking.ApiService.Promo;

/// <summary>A promo sign-up and the latest status the notifier reported for it.</summary>
public sealed class PromoRegistration
{
    /// <summary>Arrival order: assigned by SQLite when the sign-up commits, so it is the order codes are given in.</summary>
    public long Sequence { get; init; }

    /// <summary>Public, random and unguessable: whoever holds it can see the code.</summary>
    public required string Id { get; init; }

    public required string Email { get; init; }

    public required string EmailNormalized { get; init; }

    public required string Name { get; init; }

    public PromoStatus Status { get; set; } = PromoStatus.Queued;

    /// <summary>Of the last applied <see cref="PromoStatusChanged"/>; older or repeated updates are ignored.</summary>
    public int StatusVersion { get; set; }

    public string? Step { get; set; }

    public string? Code { get; set; }

    public string? Message { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? ProcessingStartedAt { get; set; }

    public DateTime? DecidedAt { get; set; }
}

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
