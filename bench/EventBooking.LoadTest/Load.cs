namespace EventBooking.LoadTest;

/// <summary>
/// How a scenario's operations arrive.
/// <list type="bullet">
/// <item>Closed loop (the default): <see cref="Concurrency"/> clients, each sending its next request when its last
/// answer came. Throughput is the figure; latency is then only clients ÷ throughput.</item>
/// <item>Open loop (<see cref="Rate"/> set, <c>--rate R --duration S</c>): operation i is sent i / R seconds after the
/// start whatever has come back, as independent people would; latency counts from that scheduled moment, so a slow
/// answer delays nobody's measurement. An arrival that finds <see cref="Concurrency"/> requests still unanswered
/// is counted as missed, not sent late.</item>
/// </list>
/// </summary>
public sealed record Load(int Count, int Concurrency, int? Rate = null)
{
    /// <summary>Requests unanswered at once before an open-loop arrival counts as missed.</summary>
    public const int MaxInFlight = 20_000;

    public static Load Open(int rate, TimeSpan duration) => new((int)(rate * duration.TotalSeconds), MaxInFlight, rate);

    public bool IsOpen => Rate is not null;

    public override string ToString() => IsOpen ? $"{Rate:N0}/s for {Count / Rate:N0} s" : $"n={Count:N0}, c={Concurrency}";
}
