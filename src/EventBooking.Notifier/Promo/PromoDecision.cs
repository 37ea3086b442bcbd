using EventBooking.Messaging;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// What the notifier decided for one registration, stored before the decision is announced or the request
/// acknowledged: a redelivered request finds it here and is answered the same way, so no second code is issued.
/// </summary>
public sealed class PromoDecision
{
    public required string RegistrationId { get; init; }

    public long Sequence { get; init; }

    public required string EmailNormalized { get; init; }

    public PromoStatus Outcome { get; init; }

    /// <summary>Set only when <see cref="Outcome"/> is CodeIssued; unique.</summary>
    public string? Code { get; init; }

    public DateTime DecidedAt { get; init; }

    /// <summary>The same request set aside: no code (the next person gets it), no mail.</summary>
    public PromoDecision AsFailed() => new()
    {
        RegistrationId = RegistrationId,
        Sequence = Sequence,
        EmailNormalized = EmailNormalized,
        Outcome = PromoStatus.Failed,
        Code = null,
        DecidedAt = DecidedAt,
    };

    public static PromoDecision From(NewDecision decision, DateTime decidedAt) => new()
    {
        RegistrationId = decision.Request.RegistrationId,
        Sequence = decision.Request.Sequence,
        EmailNormalized = decision.EmailNormalized,
        Outcome = decision.Outcome,
        Code = decision.Code,
        DecidedAt = decidedAt,
    };
}
