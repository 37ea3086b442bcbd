using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>Runs an operation N times from C concurrent clients and collects per-operation latencies.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentBag<double> _milliseconds = [];
    private int _errors;
    private int _done;

    public int Done => Volatile.Read(ref _done);

    public int Errors => Volatile.Read(ref _errors);

    public void Record(TimeSpan elapsed, bool ok)
    {
        _milliseconds.Add(elapsed.TotalMilliseconds);
        if (!ok)
        {
            Interlocked.Increment(ref _errors);
        }

        Interlocked.Increment(ref _done);
    }

    public ScenarioResult Finish(string scenario, int concurrency, TimeSpan wallClock) =>
        new(scenario, _milliseconds.Count, concurrency, _milliseconds.Order().ToArray(), Errors, wallClock);

    public static Task<ScenarioResult> RunAsync(string scenario, int count, int concurrency, Func<int, Task<bool>> operation) =>
        new LatencyRecorder().MeasureAsync(scenario, count, concurrency, operation);

    public async Task<ScenarioResult> MeasureAsync(string scenario, int count, int concurrency, Func<int, Task<bool>> operation)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        using (Progress.Show(scenario, () => $"{Done:N0}/{count:N0} done, {Errors:N0} errors, {Done / clock.Elapsed.TotalSeconds:N0}/s"))
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    var started = Stopwatch.GetTimestamp();
                    bool ok;
                    try
                    {
                        ok = await operation(index);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Net.WebSockets.WebSocketException)
                    {
                        // Counted, not fatal: a load test reports how many requests failed and goes on.
                        Console.Error.WriteLine($"  {scenario} #{index}: {ex.GetType().Name}: {ex.Message}");
                        ok = false;
                    }

                    Record(Stopwatch.GetElapsedTime(started), ok);
                }
            }));
        }

        return Finish(scenario, concurrency, clock.Elapsed);
    }
}
