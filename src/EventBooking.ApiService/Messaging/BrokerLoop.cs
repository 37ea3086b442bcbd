using EventBooking.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventBooking.ApiService.Messaging;

/// <summary>
/// A supervised loop that needs the broker. While the broker is away the API keeps accepting (sign-ups wait in the
/// outbox, statuses in their queue), so that outage makes /health Degraded, not Unhealthy; any other failure is a
/// loop that is down.
/// </summary>
public abstract class BrokerLoop(IServiceProvider services, LoopHealth health, ILogger logger) : BrokerChannelLoop(services, health, logger)
{
    protected override HealthStatus StatusWhileDown(Exception failure) =>
        BrokerChannels.IsBrokerFailure(failure) ? HealthStatus.Degraded : HealthStatus.Unhealthy;
}
