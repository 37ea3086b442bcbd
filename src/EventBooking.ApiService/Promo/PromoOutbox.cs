using System.Text.Json;
using EventBooking.ApiService.Messaging;
using EventBooking.Messaging;

namespace EventBooking.ApiService.Promo;

/// <summary>The one way a registration goes to the notifier: a PromoRequested in the outbox, in the caller's transaction.</summary>
public static class PromoOutbox
{
    public static OutboxMessage Requested(PromoRegistration registration, bool unconfirmed, string? traceParent = null) => new()
    {
        Type = PromoRequested.ContractType,
        MessageId = registration.Id,
        Payload = JsonSerializer.Serialize(
            new PromoRequested(registration.Id, registration.Sequence, registration.Email, registration.Name, registration.CreatedAt, unconfirmed,
                registration.Status.IsFinal() ? registration.Status : null, registration.Status.IsFinal() ? registration.Code : null),
            PromoJson.Options),
        TraceParent = traceParent,
        CreatedAt = registration.CreatedAt,
    };
}
