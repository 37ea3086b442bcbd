using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using EventBooking.Messaging;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace EventBooking.Notifier.Promo;

/// <summary>
/// What a failure means for strict order. An infrastructure fault, however long it lasts (database busy, locked,
/// full or failing; a timeout; a refused publish), is transient: the notifier waits and tries again, holding the
/// queue, because a later request must never overtake. A lost channel needs a new consumer (the loop restarts;
/// unacknowledged requests come back). Anything else is a defect of the request being handled (unreadable, a
/// contract this build does not know, an address no mail can be written to): that request is set aside as Failed
/// and the queue goes on, so one sign-up can never stop everyone's.
/// </summary>
internal static class PromoFailurePolicy
{
    /// <summary>Waiting may cure it: the database, the disk, the network, a timeout (but not a lost broker channel).</summary>
    public static bool IsTransient(Exception failure) => !BrokerChannels.IsBrokerFailure(failure) && IsInfrastructure(failure);

    /// <summary>Neither an infrastructure fault nor a lost broker: the request at hand can never be processed.</summary>
    public static bool IsDefect(Exception failure) =>
        failure is not OperationCanceledException && !BrokerChannels.IsBrokerFailure(failure) && !IsInfrastructure(failure);

    private static bool IsInfrastructure(Exception failure) => failure switch
    {
        DbException or DbUpdateException or TimeoutException or IOException or SocketException or OperationCanceledException
            or ObjectDisposedException or HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsInfrastructure),
        // EF Core and others wrap a database fault (e.g. "a transient failure", a busy SQLite) in their own exception.
        { InnerException: { } inner } => IsInfrastructure(inner),
        _ => false,
    };

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
