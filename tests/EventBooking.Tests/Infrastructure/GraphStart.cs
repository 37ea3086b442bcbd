using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Infrastructure;

/// <summary>
/// Starting a graph fails fast and says why: as soon as a resource fails to start or exits (or at
/// <see cref="GraphFixture.StartTimeout"/>), with every resource that is not healthy, its state and its last log lines.
/// </summary>
public static class GraphStart
{
    private const int LogLinesShown = 25;

    public static async Task WaitUntilHealthyAsync(DistributedApplication app, IEnumerable<string> resources, CancellationToken timeout)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout);
        var healthy = Task.WhenAll(resources.Select(name => app.ResourceNotifications.WaitForResourceHealthyAsync(name, stop.Token)));
        var broken = FirstBrokenAsync(app, stop.Token);
        var first = await Task.WhenAny(healthy, broken);
        await stop.CancelAsync();
        if (first == healthy && healthy.IsCompletedSuccessfully)
        {
            return;
        }

        var reason = first == broken && broken.IsCompletedSuccessfully
            ? $"{broken.Result} before the graph was healthy"
            : $"the graph was not healthy within {GraphFixture.StartTimeout.TotalSeconds:0} s";
        throw new InvalidOperationException($"The graph did not start: {reason}.{Environment.NewLine}{await DescribeAsync(app)}");
    }

    /// <summary>The first instance that failed to start or exited, e.g. "postgres-abc12 Exited (exit code 1)".</summary>
    private static async Task<string> FirstBrokenAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        await foreach (var change in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (change.Snapshot.State?.Text is { } state
                && (state == KnownResourceStates.FailedToStart || state == KnownResourceStates.Exited || state == KnownResourceStates.Finished))
            {
                return $"{change.ResourceId} {state}" + (change.Snapshot.ExitCode is { } code ? $" (exit code {code})" : string.Empty);
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Each instance that is not healthy: its state, health and last log lines.</summary>
    private static async Task<string> DescribeAsync(DistributedApplication app)
    {
        var states = new Dictionary<string, CustomResourceSnapshot>();
        using (var replay = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            try
            {
                await foreach (var change in app.ResourceNotifications.WatchAsync(replay.Token))
                {
                    states[change.ResourceId] = change.Snapshot;
                }
            }
            catch (OperationCanceledException) when (replay.IsCancellationRequested)
            {
                // Read all there was to read.
            }
        }

        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var text = new StringBuilder();
        foreach (var (instance, snapshot) in states.Where(s => s.Value.HealthStatus != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            && s.Value.ResourceType is not "Parameter").OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"- {instance}: {snapshot.State?.Text ?? "no state"}, health {snapshot.HealthStatus?.ToString() ?? "unknown"}" +
                (snapshot.ExitCode is { } code ? $", exit code {code}" : string.Empty) + "; its last log lines:");
            foreach (var line in await LastLinesAsync(logs, instance))
            {
                text.AppendLine("    " + line);
            }
        }

        return text.ToString();
    }

    private static async Task<List<string>> LastLinesAsync(ResourceLoggerService logs, string instance)
    {
        var lines = new List<string>();
        using var backlog = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in logs.WatchAsync(instance).WithCancellation(backlog.Token))
            {
                lines.AddRange(batch.Select(l => l.Content));
            }
        }
        catch (OperationCanceledException) when (backlog.IsCancellationRequested)
        {
            // The backlog is what there is.
        }

        return lines.TakeLast(LogLinesShown).ToList();
    }
}
