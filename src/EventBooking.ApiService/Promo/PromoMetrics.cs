using System.Diagnostics.Metrics;

namespace EventBooking.ApiService.Promo;

public sealed class PromoMetrics
{
    public const string MeterName = "EventBooking.Api.Promo";

    private readonly Counter<long> _signUps;
    private readonly Counter<long> _statusPushes;
    private readonly Histogram<int> _groupSizes;

    public PromoMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _signUps = meter.CreateCounter<long>("eventbooking.promo.signups", description: "Promo sign-ups accepted (stored and queued).");
        _statusPushes = meter.CreateCounter<long>("eventbooking.promo.status_pushes", description: "Status messages sent to browsers over WebSockets.");
        _groupSizes = meter.CreateHistogram<int>("eventbooking.promo.signup_group_size", unit: "{signup}",
            description: "Sign-ups committed together in one SQLite transaction.");
    }

    public void SignUpAccepted() => _signUps.Add(1);

    public void StatusPushed() => _statusPushes.Add(1);

    public void SignUpGroupCommitted(int size) => _groupSizes.Record(size);
}
