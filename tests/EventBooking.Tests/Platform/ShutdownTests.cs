using System.Globalization;

namespace EventBooking.Tests.Platform;

/// <summary>
/// Starts a graph of its own, in the scale-out shape (the one with the most processes: PostgreSQL and its workers, two
/// API replicas, two notifiers): what is under test is that stopping it leaves nothing behind.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_app_leaves_no_broker_database_orchestrator_or_service_process()
    {
        var app = await GraphFixture.StartAsync([.. GraphFixture.DefaultArguments, .. GraphFixture.ScaleOutArguments]);
        var started = await ExecutablesAsync(app);
        Assert.Equal(8, started.Count); // broker, mail server, database, two APIs, two notifiers, the site

        started.UnionWith(Processes.Where(p => Processes.CommandLine(p).Contains($"--monitor {Environment.ProcessId}")));
        var tree = Processes.WithDescendants(started);
        Assert.Contains(tree, pid => Processes.CommandLine(pid).Contains("beam.smp"));
        Assert.Contains(tree, pid => Processes.CommandLine(pid).Contains("postgres -D"));

        await app.DisposeAsync();

        // Fails (naming the survivors) unless every process of the graph is gone within 30 s.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(string.Join(", ", tree.Where(Processes.IsAlive).Select(Processes.CommandLine))),
            survivors => survivors.Length == 0,
            TimeSpan.FromSeconds(30),
            "every process of the graph has exited");
    }

    /// <summary>The process of every executable instance (replicas included) the orchestrator started.</summary>
    private static async Task<HashSet<int>> ExecutablesAsync(DistributedApplication app)
    {
        var started = new HashSet<int>();
        using var replay = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var change in app.ResourceNotifications.WatchAsync(replay.Token))
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
