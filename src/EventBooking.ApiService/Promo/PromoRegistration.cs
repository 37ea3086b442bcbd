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

    /// <summary>The mailbox identity (<see cref="MailboxIdentity"/>): one place per mailbox.</summary>
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

    /// <summary>SHA-256 of the confirmation link's token while it can be used (single use: cleared on confirmation).</summary>
    public string? ConfirmTokenHash { get; set; }

    /// <summary>Until when the address can be confirmed; after it, an unconfirmed place ends Expired.</summary>
    public DateTime? ConfirmBy { get; set; }

    public DateTime? ConfirmedAt { get; set; }

    /// <summary>When the request went to the notifier (confirmed, expired, or sold out); null while it waits for confirmation.</summary>
    public DateTime? ReleasedAt { get; set; }

    /// <summary>SHA-256 of the key a page opened from the confirmation link holds: only that page is shown the code.</summary>
    public string? MailboxKeyHash { get; set; }
}
