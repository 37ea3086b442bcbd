using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The root of every trace: a request, a message, a mail. A database command that a background loop issues on its
/// own (a group-commit writer's inserts, the outbox and mail pollers, the notifier's decisions) would be a trace of
/// one span, thousands of them in a burst, costing every process CPU to export and the dashboard to take in, and
/// burying the traces people look for. Such lone client spans are not recorded; the same commands inside a traced
/// request or message still are (the parent decides), and failures still reach the logs.
/// </summary>
public sealed class NoLoneClientSpans : Sampler
{
    private static readonly SamplingResult Recorded = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

    public NoLoneClientSpans() => Description = nameof(NoLoneClientSpans);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Dropped : Recorded;
}
