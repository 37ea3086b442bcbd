using System.Diagnostics.Metrics;
using EventBooking.Messaging;

namespace EventBooking.Notifier.Promo;

public sealed class NotifierMetrics
{
    public const string MeterName = "EventBooking.Notifier.Promo";

    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _processing;

    public NotifierMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("eventbooking.promo.decisions", description: "Promo decisions by outcome (code-issued, sold-out, failed).");
        _queueWait = meter.CreateHistogram<double>("eventbooking.promo.queue_wait", unit: "s", description: "From sign-up accepted to processing started.");
        _processing = meter.CreateHistogram<double>("eventbooking.promo.processing_time", unit: "s", description: "From processing started to decision announced.");
    }

    public void Decided(PromoStatus outcome) => _decisions.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    public void QueueWait(TimeSpan wait) => _queueWait.Record(Math.Max(0, wait.TotalSeconds));

    public void Processing(TimeSpan duration) => _processing.Record(duration.TotalSeconds);
}
