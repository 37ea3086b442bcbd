using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Starting a stopped or crashed resource again, and waiting for it to be healthy, asking the service itself.
/// <para>
/// A service's health is read on its own address, not through the orchestrator's (DCP's) proxy in front of it. Now
/// and then (about one full run in ten, at stops 30 to 35) that proxy loses a restarted notifier for good: the process
/// answers /health on its own address, the proxy takes connections and answers nothing. Stopping and starting the
/// notifier twice more did not bring it back. Only the health checks use the notifier's proxy, so what the tests ask
/// of a service's health is asked of the service.
/// </para>
/// </summary>
public partial class GraphFixture
{
    /// <summary>
    /// Starts a stopped or crashed resource again (retried while the orchestrator still sees it stopping), and returns
    /// once the orchestrator has left the ended state: until then a wait for "healthy" would read the crash's "Exited"
    /// as a start that failed.
    /// </summary>
    public async Task StartAgainAsync(string resource, CancellationToken cancellationToken)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        foreach (var instance in Instances.TryGetValue(resource, out var instances) ? instances : [resource])
        {
            await Eventually.ReturnsAsync(
                async () => (await commands.ExecuteCommandAsync(instance, "resource-start", cancellationToken)).Success,
                started => started, TimeSpan.FromSeconds(60), $"{instance} starts again");
            await App.ResourceNotifications.WaitForResourceAsync(resource,
                e => (instance == resource || e.ResourceId == instance)
                    && e.Snapshot.State?.Text is { } state && !KnownResourceStates.TerminalStates.Contains(state), cancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
    }

    /// <summary>Waits until a resource is healthy: our services as they say on their own address, the others (broker, mail) as the orchestrator sees them.</summary>
    public async Task WaitUntilHealthyAsync(string resource, CancellationToken cancellationToken)
    {
        if (OwnAddress(resource) is null)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken);
            return;
        }

        await Eventually.ReturnsAsync(() => HealthAsync(resource), health => health.Status == "Healthy", TimeSpan.FromSeconds(90), $"{resource} is healthy")
            .WaitAsync(cancellationToken);
    }

    /// <summary>The address a single-instance service listens on itself, if it says (replicas are asked through their proxy).</summary>
    private Uri? OwnAddress(string resource) =>
        Instances.TryGetValue(resource, out var instances) && instances is [var instance]
        && App.ResourceNotifications.TryGetCurrentState(instance, out var state) ? OwnAddress(state) : null;
}
