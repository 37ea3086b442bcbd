using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventBooking.LoadTest;

/// <summary>Runs an operation as a <see cref="Load"/> says (closed or open loop) and collects per-operation latencies.</summary>
public sealed class LatencyRecorder
{
    private readonly ConcurrentBag<double> _sendLags = [];
    private int _missed;

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

    public static Task<ScenarioResult> RunAsync(string scenario, Load load, Func<int, Task<bool>> operation) =>
        RunAsync(scenario, load, Task.FromResult, operation);

    /// <summary>
    /// As above, with an untimed <paramref name="prepare"/> before each operation in closed loop (e.g. a person loading
    /// the page and solving its proof of work before pressing the button). In open loop it is part of the timed
    /// operation: the schedule says when people arrive, and what they do first is part of what they wait for.
    /// </summary>
    public static Task<ScenarioResult> RunAsync<T>(string scenario, Load load, Func<int, Task<T>> prepare, Func<T, Task<bool>> operation) =>
        load.Rate is { } rate
            ? new LatencyRecorder().MeasureOpenLoopAsync(scenario, load.Count, rate, load.Concurrency, async index => await operation(await prepare(index)))
            : new LatencyRecorder().MeasureAsync(scenario, load.Count, load.Concurrency, prepare, operation);

    /// <summary>Operation i at i / <paramref name="rate"/> s, timed from then; see <see cref="Load"/>.</summary>
    public async Task<ScenarioResult> MeasureOpenLoopAsync(string scenario, int count, int rate, int maxInFlight, Func<int, Task<bool>> operation)
    {
        var clock = Stopwatch.StartNew();
        var running = new List<Task>(count);
        var inFlight = 0;
        using (Progress.Show(scenario, () => $"{Done:N0}/{count:N0} done, {Errors:N0} errors, {Volatile.Read(ref _missed):N0} missed, {Volatile.Read(ref inFlight):N0} in flight"))
        {
            for (var index = 0; index < count; index++)
            {
                var due = TimeSpan.FromSeconds((double)index / rate);
                if (due - clock.Elapsed is { TotalMilliseconds: >= 1 } wait)
                {
                    await Task.Delay(wait);
                }

                if (Volatile.Read(ref inFlight) >= maxInFlight)
                {
                    Interlocked.Increment(ref _missed);
                    continue;
                }

                Interlocked.Increment(ref inFlight);
                _sendLags.Add((clock.Elapsed - due).TotalMilliseconds);
                running.Add(RunOneAsync(scenario, index, due));
            }

            await Task.WhenAll(running);
        }

        var sendLags = _sendLags.Order().ToArray();
        return Finish(scenario, maxInFlight, clock.Elapsed) with
        {
            OfferedRate = rate,
            Errors = Errors + Volatile.Read(ref _missed),
            Figures =
            [
                new("offered", count, "arrivals"),
                new("missed (arrived with all in-flight slots taken)", Volatile.Read(ref _missed), "arrivals"),
                new("send lag (scheduled → sent) p99", ScenarioResult.Percentile(sendLags, 99), "ms"),
            ],
        };

        async Task RunOneAsync(string name, int index, TimeSpan due)
        {
            await Task.Yield(); // the schedule goes on while this one waits for its answer
            var ok = await AttemptAsync(name, index, operation);
            Record(clock.Elapsed - due, ok);
            Interlocked.Decrement(ref inFlight);
        }
    }

    private static async Task<bool> AttemptAsync(string scenario, int index, Func<int, Task<bool>> operation)
    {
        try
        {
            return await operation(index);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Net.WebSockets.WebSocketException)
        {
            // Counted, not fatal: a load test reports how many requests failed and goes on.
            Console.Error.WriteLine($"  {scenario} #{index}: {ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }

    public Task<ScenarioResult> MeasureAsync(string scenario, int count, int concurrency, Func<int, Task<bool>> operation) =>
        MeasureAsync(scenario, count, concurrency, Task.FromResult, operation);

    public async Task<ScenarioResult> MeasureAsync<T>(string scenario, int count, int concurrency, Func<int, Task<T>> prepare, Func<T, Task<bool>> operation)
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
                    var prepared = default(T);
                    var ready = await AttemptAsync(scenario, index, async i => { prepared = await prepare(i); return true; });
                    var started = Stopwatch.GetTimestamp();
                    var ok = ready && await AttemptAsync(scenario, index, _ => operation(prepared!));
                    Record(Stopwatch.GetElapsedTime(started), ok);
                }
            }));
        }

        return Finish(scenario, concurrency, clock.Elapsed);
    }
}
