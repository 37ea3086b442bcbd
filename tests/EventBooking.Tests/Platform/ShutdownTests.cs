using System.Globalization;

namespace EventBooking.Tests.Platform;

/// <summary>Starts a graph of its own: what is under test is that stopping it leaves nothing behind.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_app_leaves_no_broker_orchestrator_or_service_process()
    {
        var app = await GraphFixture.StartAsync(GraphFixture.DefaultArguments);
        var started = new HashSet<int>();
        foreach (var name in GraphFixture.ResourceNames)
        {
            Assert.True(app.ResourceNotifications.TryGetCurrentState(name, out var state), $"no state for {name}");
            var pid = state.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value;
            started.Add(Convert.ToInt32(pid, CultureInfo.InvariantCulture));
        }

        started.UnionWith(Processes.Where(p => Processes.CommandLine(p).Contains($"--monitor {Environment.ProcessId}")));
        var tree = Processes.WithDescendants(started);
        Assert.Contains(tree, pid => Processes.CommandLine(pid).Contains("beam.smp"));

        await app.DisposeAsync();

        // Fails (naming the survivors) unless every process of the graph is gone within 30 s.
        await Eventually.ReturnsAsync(
            () => Task.FromResult(string.Join(", ", tree.Where(Processes.IsAlive).Select(Processes.CommandLine))),
            survivors => survivors.Length == 0,
            TimeSpan.FromSeconds(30),
            "every process of the graph has exited");
    }
}
