namespace EventBooking.LoadTest;

/// <summary>
/// One measured scenario: latencies of its main operation, errors, and whatever else it measured (figures) and
/// verified (checks). A failed check counts as an error.
/// </summary>
public sealed record ScenarioResult(string Scenario, int Count, int Concurrency, double[] SortedMilliseconds, int Errors, TimeSpan WallClock)
{
    /// <summary>What the latencies time, e.g. "request" or "push (decision → client)".</summary>
    public string Measures { get; init; } = "request";

    /// <summary>Arrivals per second of an open-loop run (<see cref="Load"/>); null for closed loops.</summary>
    public int? OfferedRate { get; init; }

    /// <summary>False where operations per second mean nothing (sockets held open).</summary>
    public bool HasRate { get; init; } = true;

    public IReadOnlyList<Figure> Figures { get; init; } = [];

    public IReadOnlyList<Check> Checks { get; init; } = [];

    public int FailedChecks => Checks.Count(c => !c.Ok);

    public bool Succeeded => Errors == 0 && FailedChecks == 0;

    public double PerSecond => SortedMilliseconds.Length / WallClock.TotalSeconds;

    public double Percentile(double p) => Percentile(SortedMilliseconds, p);

    /// <summary>Nearest-rank percentile of an ascending array; NaN when empty.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];

    public double Max => SortedMilliseconds.Length == 0 ? double.NaN : SortedMilliseconds[^1];
}

/// <summary>A named measurement beyond the latency table, e.g. time until all final, or KB per socket.</summary>
public sealed record Figure(string Name, double Value, string Unit);

/// <summary>A correctness check the scenario verified (invariants, every socket answered).</summary>
public sealed record Check(string Name, bool Ok);
