using System.Diagnostics;
using System.Threading.RateLimiting;
using EventBooking.ServiceDefaults;
using OpenTelemetry.Trace;

namespace EventBooking.FastTests.Telemetry;

public sealed class TraceSamplingTests
{
    /// <summary>As the services configure it (the parent decides), with a budget of three traces that never refills.</summary>
    private readonly Sampler _services = new ParentBasedSampler(new TraceBudget(new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 3,
        TokensPerPeriod = 3,
        ReplenishmentPeriod = TimeSpan.FromDays(1),
        QueueLimit = 0,
        AutoReplenishment = false,
    })));

    private SamplingDecision Decide(ActivityKind kind, ActivityContext parent = default) =>
        _services.ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "span", kind)).Decision;

    private static ActivityContext Parent(bool sampled) => new(
        ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);

    [Fact]
    public void A_database_command_a_background_loop_issues_on_its_own_is_not_a_trace() =>
        Assert.Equal(SamplingDecision.Drop, Decide(ActivityKind.Client));

    [Theory]
    [InlineData(ActivityKind.Server)]
    [InlineData(ActivityKind.Consumer)]
    [InlineData(ActivityKind.Producer)]
    [InlineData(ActivityKind.Internal)]
    public void A_request_a_message_or_a_publish_starts_a_recorded_trace(ActivityKind kind) =>
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(kind));

    [Fact]
    public void Beyond_the_budget_new_traces_are_not_recorded_but_spans_of_recorded_ones_still_are()
    {
        var within = Enumerable.Range(0, 3).Select(_ => Decide(ActivityKind.Server)).ToList();

        Assert.All(within, decision => Assert.Equal(SamplingDecision.RecordAndSample, decision));
        Assert.Equal(SamplingDecision.Drop, Decide(ActivityKind.Server));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Client, Parent(sampled: true)));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Consumer, Parent(sampled: true)));
    }

    [Fact]
    public void A_database_command_inside_a_recorded_request_is_recorded() =>
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(ActivityKind.Client, Parent(sampled: true)));

    [Fact]
    public void A_caller_that_did_not_record_its_trace_is_followed() =>
        Assert.Equal(SamplingDecision.Drop, Decide(ActivityKind.Server, Parent(sampled: false)));
}
