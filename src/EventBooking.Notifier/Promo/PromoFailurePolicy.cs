using System.Text.Json;
using EventBooking.Messaging;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// What a failure means for strict order. A request that can never be processed (unreadable, a contract this build
/// does not know) is dead-lettered and announced Failed. Anything else is transient, however long it lasts (database
/// busy, locked, full or failing; a refused publish): the notifier waits and tries again, holding the queue, because
/// a later request must never overtake. A lost channel needs a new consumer (the loop restarts; unacknowledged
/// requests come back).
/// </summary>
internal static class PromoFailurePolicy
{
    /// <summary>Everything but a lost broker: that needs a new channel, so the consumer starts again.</summary>
    public static bool IsTransient(Exception failure) => !BrokerChannels.IsBrokerFailure(failure);

    /// <summary>The request in a delivery, or null (with the reason) when it can never be processed.</summary>
    public static PromoRequested? Read(IReadOnlyBasicProperties properties, byte[] body, out string? reason)
    {
        reason = null;
        // Messages from before the type was set are the same contract.
        if (properties.Type is { } type && type != PromoRequested.ContractType)
        {
            reason = $"unknown contract '{type}'";
            return null;
        }

        try
        {
            var request = JsonSerializer.Deserialize<PromoRequested>(body, PromoJson.Options);
            if (request is { RegistrationId.Length: > 0, Email.Length: > 0, Sequence: > 0 })
            {
                return request;
            }

            reason = "a request without registration, email or sequence";
        }
        catch (JsonException ex)
        {
            reason = $"unreadable JSON ({ex.Message})";
        }

        return null;
    }
}
