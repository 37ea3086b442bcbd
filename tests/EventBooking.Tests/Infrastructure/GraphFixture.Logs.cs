using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace EventBooking.Tests.Infrastructure;

/// <summary>Everything the graph's services tell: their console logs, and what they export over OTLP.</summary>
public partial class GraphFixture
{
    private readonly ConcurrentQueue<(string Resource, string Line)> _logs = new();
    private readonly CancellationTokenSource _stopWatchingLogs = new();

    /// <summary>Every log line every resource has written so far (console output as the dashboard shows it).</summary>
    public IReadOnlyCollection<(string Resource, string Line)> Logs => _logs;

    /// <summary>
    /// What the services exported over OTLP (logs with attributes and scopes, spans, metrics), on the shared graph;
    /// there the services' own code also logs at Debug and scopes go to the console, so every sink can be searched.
    /// </summary>
    public TelemetrySink? Telemetry { get; private set; }

    /// <summary>Only the shared graph collects telemetry: the bursts of the others would only fill memory.</summary>
    protected virtual bool CollectsTelemetry => true;

    /// <summary>The last lines of one resource's log, to explain a failure.</summary>
    public string Tail(string resource, int lines = 60) =>
        string.Join(Environment.NewLine, _logs.Where(l => l.Resource == resource).TakeLast(lines).Select(l => l.Line));

    private void ExportTelemetryHere(IDistributedApplicationTestingBuilder builder)
    {
        Telemetry = new TelemetrySink();
        foreach (var service in builder.Resources.OfType<ProjectResource>().ToList())
        {
            var resource = builder.CreateResourceBuilder(service);
            foreach (var (name, value) in Telemetry.Environment)
            {
                resource.WithEnvironment(name, value);
            }

            // Our own code at Debug (not the libraries': the exporter's own HTTP client would log every export).
            resource.WithEnvironment("Logging__LogLevel__EventBooking", "Debug")
                .WithEnvironment("Logging__Console__FormatterOptions__IncludeScopes", "true");
        }
    }

    private void WatchLogs()
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var (resource, instances) in Instances)
        {
            // Logs are kept per running instance (e.g. "api-x7kq2"), not per resource name.
            foreach (var instance in instances)
            {
                _ = Task.Run(async () =>
                {
                    await foreach (var batch in logs.WatchAsync(instance).WithCancellation(_stopWatchingLogs.Token))
                    {
                        foreach (var line in batch)
                        {
                            _logs.Enqueue((resource, line.Content));
                        }
                    }
                });
            }
        }
    }
}
