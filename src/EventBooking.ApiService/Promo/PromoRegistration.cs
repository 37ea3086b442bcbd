using EventBooking.Messaging;

namespace EventBooking.ApiService.Promo;

/// <summary>A promo sign-up and the latest status the notifier reported for it.</summary>
public sealed class PromoRegistration
{
    /// <summary>Arrival order: assigned by SQLite when the sign-up commits, so it is the order codes are given in.</summary>
    public long Sequence { get; set; }

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
