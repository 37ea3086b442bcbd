using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EventBooking.LoadTest;

/// <summary>Collects per-request latencies and reports throughput and percentiles.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentBag<double> _milliseconds = [];
    private int _errors;

    public void Record(TimeSpan elapsed) => _milliseconds.Add(elapsed.TotalMilliseconds);

    public void Error() => Interlocked.Increment(ref _errors);

    public ScenarioResult Finish(string scenario, TimeSpan wallClock) =>
        new(scenario, _milliseconds.Order().ToArray(), _errors, wallClock);

    public static async Task<ScenarioResult> RunAsync(string scenario, int count, int concurrency, Func<int, Task<bool>> operation)
    {
        var recorder = new LatencyRecorder();
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = await operation(index);
                recorder.Record(Stopwatch.GetElapsedTime(started));
                if (!ok)
                {
                    recorder.Error();
                }
            }
        }));
        return recorder.Finish(scenario, clock.Elapsed);
    }
}

public sealed record ScenarioResult(string Scenario, double[] SortedMilliseconds, int Errors, TimeSpan WallClock)
{
    public string Notes { get; init; } = string.Empty;

    public double Percentile(double p) =>
        SortedMilliseconds.Length == 0 ? double.NaN : SortedMilliseconds[(int)Math.Ceiling(p / 100 * SortedMilliseconds.Length) - 1];

    public double PerSecond => SortedMilliseconds.Length / WallClock.TotalSeconds;

    public static string ToTable(IEnumerable<ScenarioResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new StringBuilder()
            .AppendLine("| scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var notes = new StringBuilder();
        foreach (var r in results)
        {
            table.AppendLine(string.Create(c,
                $"| {r.Scenario} | {r.SortedMilliseconds.Length} | {r.Errors} | {r.PerSecond:0.0} | {r.Percentile(50):0.00} | {r.Percentile(95):0.00} | {r.Percentile(99):0.00} | {r.SortedMilliseconds[^1]:0.00} |"));
            notes.Append(r.Notes);
        }

        return table.AppendLine().Append(notes).ToString();
    }
}
