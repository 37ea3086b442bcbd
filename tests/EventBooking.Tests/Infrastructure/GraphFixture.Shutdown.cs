using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Every graph, when its tests are done, proves that stopping it leaves nothing behind: no broker, database, mail
/// server, orchestrator or service process (replicas included). A survivor fails the collection's clean-up, by name.
/// </summary>
public partial class GraphFixture
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    private async Task StopAndProveNothingLeftAsync()
    {
        var tree = Processes.WithDescendants([.. await ExecutablesAsync(),
            .. Processes.Where(p => Processes.CommandLine(p).Contains($"--monitor {Environment.ProcessId}", StringComparison.Ordinal))]);
        // The broker and the database as this machine's own processes (not containers) are in the tree, or it proves little.
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var (resource, command) in new[] { ("messaging", "beam.smp"), ("postgres", "postgres -D") })
        {
            if (model.Resources.FirstOrDefault(r => r.Name == resource) is { } local and not ContainerResource)
            {
                Assert.True(tree.Any(pid => Processes.CommandLine(pid).Contains(command, StringComparison.Ordinal)), $"{local.Name} runs as '{command}'");
            }
        }

        await App.DisposeAsync();

        await Eventually.ReturnsAsync(
            () => Task.FromResult(string.Join(", ", tree.Where(Processes.IsAlive).Select(Processes.CommandLine))),
            survivors => survivors.Length == 0,
            ShutdownTimeout,
            "every process of the graph has exited once it was stopped");

        // A service's last telemetry, exported as it stops, reaches the collector: none is lost at shutdown (the
        // exporter once went through the resilience handler the container had already disposed, and retried for 5 s).
        if (Telemetry is { } telemetry)
        {
            var services = model.Resources.OfType<ProjectResource>().Select(r => r.Name).ToList();
            Assert.All(services, service => Assert.True(telemetry.HoldsTogether(service, "Application is shutting down"),
                $"{service} exported the log it wrote as it stopped"));
        }
    }

    /// <summary>The process of every executable instance (replicas included) the orchestrator started.</summary>
    private async Task<HashSet<int>> ExecutablesAsync()
    {
        var started = new HashSet<int>();
        using var replay = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var change in App.ResourceNotifications.WatchAsync(replay.Token))
            {
                if (change.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid)
                {
                    started.Add(Convert.ToInt32(pid, CultureInfo.InvariantCulture));
                }
            }
        }
        catch (OperationCanceledException) when (replay.IsCancellationRequested)
        {
            // Read all there was to read.
        }

        return started;
    }
}
