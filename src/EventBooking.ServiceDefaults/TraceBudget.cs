using System.Diagnostics;
using System.Threading.RateLimiting;
using OpenTelemetry.Trace;

namespace EventBooking.ServiceDefaults;

/// <summary>
/// Decides for a span that would start a trace (behind a <see cref="ParentBasedSampler"/>, every other span follows
/// its parent, so a trace is recorded whole or not at all, across services):
/// <list type="bullet">
/// <item>A client span, a database command that a background loop issues on its own (a group-commit writer's
/// inserts, the outbox and mail pollers, the notifier's decisions), is not recorded: thousands of one-span traces in
/// a burst bury the ones people look for. The same commands inside a traced request or message still are.</item>
/// <item>Anything else (a request, a message, a publish) is recorded while the process stays within its budget of
/// new traces per second. Someone clicking through the site sees every trace; under load the dashboard gets a steady
/// sample instead of every request, which cost it more CPU than the API's own work per order (two spans each).
/// Errors are logged whether or not their trace is recorded.</item>
/// </list>
/// </summary>
public sealed class TraceBudget(RateLimiter budget) : Sampler
{
    public const string TracesPerSecondKey = "Telemetry:TracesPerSecond";
    public const int DefaultTracesPerSecond = 100;

    private static readonly SamplingResult Recorded = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    /// <summary>Up to <paramref name="tracesPerSecond"/> new traces a second, refilled every tenth of a second.</summary>
    public static TraceBudget PerSecond(int tracesPerSecond) => new(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = tracesPerSecond,
        TokensPerPeriod = Math.Max(1, tracesPerSecond / 10),
        ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
        QueueLimit = 0,
        AutoReplenishment = true,
    }));

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.Kind == ActivityKind.Client)
        {
            return Dropped;
        }

        using var lease = budget.AttemptAcquire();
        return lease.IsAcquired ? Recorded : Dropped;
    }
}
